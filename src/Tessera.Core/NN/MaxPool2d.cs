namespace Tessera.NN;

/// <summary>2-D max pooling over [N, C, H, W] inputs (padding acts as negative infinity).</summary>
/// <param name="kernelSize">Window size.</param>
/// <param name="stride">Stride; the window size when null.</param>
/// <param name="padding">Implicit padding.</param>
public sealed class MaxPool2d((int Height, int Width) kernelSize, (int Height, int Width)? stride = null, (int Height, int Width)? padding = null)
    : Pool2d(kernelSize, stride, padding)
{
    /// <summary>Creates a layer with a square window.</summary>
    /// <param name="kernelSize">Window size.</param>
    /// <param name="stride">Stride; the window size when null.</param>
    public MaxPool2d(int kernelSize, int? stride = null)
        : this((kernelSize, kernelSize), stride is { } s ? (s, s) : null)
    {
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.MaxPool2d(KernelSize, Stride, Padding);
    }
}
