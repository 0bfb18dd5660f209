namespace Tessera.Mpc.Nn;

/// <summary>What the encrypted pooling layers share: a public window, stride and padding.</summary>
public abstract class EncryptedPool2d : EncryptedModule
{
    private protected EncryptedPool2d((int Height, int Width) kernelSize, (int Height, int Width) stride, (int Height, int Width) padding)
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

    /// <summary>The layer's kind, e.g. <c>MaxPool2d</c>.</summary>
    private protected abstract string Kind { get; }

    /// <inheritdoc/>
    public override string Name => $"{Kind}({KernelSize}, stride {Stride}, padding {Padding})";
}
