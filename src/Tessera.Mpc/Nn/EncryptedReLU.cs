namespace Tessera.Mpc.Nn;

/// <summary>Encrypted <see cref="Tessera.NN.ReLU"/>: <see cref="EncryptedTensor.ReluAsync"/> (exact, 8 rounds).</summary>
public sealed class EncryptedReLU : EncryptedModule
{
    /// <inheritdoc/>
    public override string Name => "ReLU()";

    /// <inheritdoc/>
    public override ValueTask<EncryptedTensor> ForwardAsync(EncryptedTensor input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.ReluAsync(cancellationToken);
    }
}
