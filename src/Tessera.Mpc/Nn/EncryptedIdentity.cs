namespace Tessera.Mpc.Nn;

/// <summary>A layer that returns its input: <see cref="Tessera.NN.Dropout"/> at inference.</summary>
public sealed class EncryptedIdentity : EncryptedModule
{
    internal EncryptedIdentity(string name)
    {
        Name = name;
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override ValueTask<EncryptedTensor> ForwardAsync(EncryptedTensor input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ValueTask.FromResult(input);
    }
}
