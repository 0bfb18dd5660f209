namespace Tessera.Mpc.Nn;

/// <summary>Encrypted <see cref="Tessera.NN.MaxPool2d"/>: <see cref="EncryptedTensor.MaxPool2dAsync"/> (exact).</summary>
public sealed class EncryptedMaxPool2d : EncryptedPool2d
{
    internal EncryptedMaxPool2d((int Height, int Width) kernelSize, (int Height, int Width) stride, (int Height, int Width) padding)
        : base(kernelSize, stride, padding)
    {
    }

    /// <inheritdoc/>
    private protected override string Kind => "MaxPool2d";

    /// <inheritdoc/>
    public override ValueTask<EncryptedTensor> ForwardAsync(EncryptedTensor input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.MaxPool2dAsync(KernelSize, Stride, Padding, cancellationToken);
    }
}
