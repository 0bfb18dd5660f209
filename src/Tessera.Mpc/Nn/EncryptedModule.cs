namespace Tessera.Mpc.Nn;

/// <summary>
/// An encrypted counterpart of a <see cref="Tessera.NN.Module"/>: its architecture is public, its parameters are secret
/// shares (<see cref="EncryptedTensor"/>), and its forward pass uses only <see cref="EncryptedTensor"/> operations. Every
/// party calls <see cref="ForwardAsync"/> in the same order with inputs of the same shape.
/// </summary>
public abstract class EncryptedModule
{
    /// <summary>A short public description, e.g. <c>Conv2d(1, 6, 5)</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Runs the layer on encrypted input.</summary>
    /// <param name="input">This party's encrypted input.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>This party's encrypted output.</returns>
    /// <exception cref="ArgumentException">The input's shape does not fit the layer (the message names both).</exception>
    public abstract ValueTask<EncryptedTensor> ForwardAsync(EncryptedTensor input, CancellationToken cancellationToken = default);

    /// <summary>The encrypted parameters with dotted names (as <see cref="Tessera.NN.Module.NamedParameters"/>); none by default.</summary>
    /// <returns>The parameters.</returns>
    public virtual IEnumerable<(string Name, EncryptedTensor Parameter)> NamedParameters() => [];

    /// <summary>The encrypted buffers (state that is not trained, e.g. batch norm's running estimates) with dotted names; none by default.</summary>
    /// <returns>The buffers.</returns>
    public virtual IEnumerable<(string Name, EncryptedTensor Buffer)> NamedBuffers() => [];

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>The shape as text, for messages.</summary>
    private protected static string Format(IReadOnlyList<int> shape) => $"[{string.Join(", ", shape)}]";
}
