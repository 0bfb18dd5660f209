namespace Tessera.Mpc.Nn;

/// <summary>Encrypted <see cref="Tessera.NN.AvgPool2d"/>: <see cref="EncryptedTensor.AvgPool2dAsync"/> (one truncation).</summary>
public sealed class EncryptedAvgPool2d : EncryptedModule
{
    internal EncryptedAvgPool2d((int Height, int Width) kernelSize, (int Height, int Width) stride, (int Height, int Width) padding)
    {
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
    }

    /// <summary>Window size.</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>Stride.</summary>
    public (int Height, int Width) Stride { get; }

    /// <summary>Padding.</summary>
    public (int Height, int Width) Padding { get; }

    /// <inheritdoc/>
    public override string Name => $"AvgPool2d({KernelSize}, stride {Stride}, padding {Padding})";

    /// <inheritdoc/>
    public override ValueTask<EncryptedTensor> ForwardAsync(EncryptedTensor input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.AvgPool2dAsync(KernelSize, Stride, Padding, cancellationToken);
    }
}
