namespace Tessera.Mpc.Nn;

/// <summary>Encrypted <see cref="Tessera.NN.Sequential"/>: runs its layers in order.</summary>
public sealed class EncryptedSequential : EncryptedModule
{
    private readonly (string Name, EncryptedModule Layer)[] _layers;

    internal EncryptedSequential(IEnumerable<(string Name, EncryptedModule Layer)> layers)
    {
        _layers = [.. layers];
    }

    /// <summary>The layers with their names (the index in the plaintext Sequential; a folded batch norm has none).</summary>
    public IReadOnlyList<(string Name, EncryptedModule Layer)> Layers => _layers;

    /// <inheritdoc/>
    public override string Name => $"Sequential({string.Join(", ", _layers.Select(l => l.Layer.Name))})";

    /// <inheritdoc/>
    public override async ValueTask<EncryptedTensor> ForwardAsync(EncryptedTensor input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var x = input;
        foreach (var (_, layer) in _layers)
        {
            x = await layer.ForwardAsync(x, cancellationToken).ConfigureAwait(false);
        }

        return x;
    }

    /// <inheritdoc/>
    public override IEnumerable<(string Name, EncryptedTensor Parameter)> NamedParameters() =>
        _layers.SelectMany(l => l.Layer.NamedParameters().Select(p => ($"{l.Name}.{p.Name}", p.Parameter)));
}
