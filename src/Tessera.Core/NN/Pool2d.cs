using System.Text.Json.Nodes;

namespace Tessera.NN;

/// <summary>The window geometry and spec shared by <see cref="MaxPool2d"/> and <see cref="AvgPool2d"/>.</summary>
public abstract class Pool2d : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">Window size.</param>
    /// <param name="stride">Stride; the window size when null.</param>
    /// <param name="padding">Padding.</param>
    protected Pool2d((int Height, int Width) kernelSize, (int Height, int Width)? stride, (int Height, int Width)? padding)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize.Height, nameof(kernelSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize.Width, nameof(kernelSize));
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding ?? (0, 0);
    }

    /// <summary>Window size.</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>Stride.</summary>
    public (int Height, int Width) Stride { get; }

    /// <summary>Padding.</summary>
    public (int Height, int Width) Padding { get; }

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new(GetType().Name, new JsonObject
    {
        ["kernelSize"] = SpecPairs.ToJson(KernelSize),
        ["stride"] = SpecPairs.ToJson(Stride),
        ["padding"] = SpecPairs.ToJson(Padding),
    });
}
