using System.Text.Json.Nodes;

namespace Tessera.NN;

/// <summary>2-D average pooling (padding counted in the average, as PyTorch by default) over [N, C, H, W] inputs.</summary>
/// <param name="kernelSize">Window size.</param>
/// <param name="stride">Stride; the window size when null.</param>
/// <param name="padding">Implicit zero padding.</param>
public sealed class AvgPool2d((int Height, int Width) kernelSize, (int Height, int Width)? stride = null, (int Height, int Width)? padding = null)
    : Module
{
    /// <summary>Creates a layer with a square window.</summary>
    /// <param name="kernelSize">Window size.</param>
    /// <param name="stride">Stride; the window size when null.</param>
    public AvgPool2d(int kernelSize, int? stride = null)
        : this((kernelSize, kernelSize), stride is { } s ? (s, s) : null)
    {
    }

    /// <summary>Window size.</summary>
    public (int Height, int Width) KernelSize { get; } = kernelSize;

    /// <summary>Stride.</summary>
    public (int Height, int Width) Stride { get; } = stride ?? kernelSize;

    /// <summary>Padding.</summary>
    public (int Height, int Width) Padding { get; } = padding ?? (0, 0);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.AvgPool2d(KernelSize, Stride, Padding);
    }

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("AvgPool2d", new JsonObject
    {
        ["kernelSize"] = SpecPairs.ToJson(KernelSize),
        ["stride"] = SpecPairs.ToJson(Stride),
        ["padding"] = SpecPairs.ToJson(Padding),
    });
}
