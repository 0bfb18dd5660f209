namespace Tessera.Mpc.Nn;

/// <summary>Encrypted <see cref="Tessera.NN.AvgPool2d"/>: <see cref="EncryptedTensor.AvgPool2dAsync"/> (one truncation).</summary>
public sealed class EncryptedAvgPool2d : EncryptedPool2d
{
    internal EncryptedAvgPool2d((int Height, int Width) kernelSize, (int Height, int Width) stride, (int Height, int Width) padding)
        : base(kernelSize, stride, padding)
    {
    }

    /// <inheritdoc/>
    private protected override string Kind => "AvgPool2d";

    /// <inheritdoc/>
    public override ValueTask<EncryptedTensor> ForwardAsync(EncryptedTensor input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.AvgPool2dAsync(KernelSize, Stride, Padding, cancellationToken);
    }
}
