namespace Tessera.Mpc.Nn;

/// <summary>
/// Encrypted <see cref="Tessera.NN.Sequential"/>: runs its layers in order, except that a ReLU directly followed by max
/// pooling runs as the pooling then the ReLU when no gradient is being recorded (inference). The two commute exactly (ReLU
/// is monotone, and both are exact under MPC), and the ReLU then compares a window's one survivor instead of every
/// element: 4x fewer ReLUs for 2x2 windows, about a quarter less traffic for LeNet-5.
/// </summary>
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
        for (var i = 0; i < _layers.Length; i++)
        {
            var layer = _layers[i].Layer;
            if (layer is EncryptedReLU && i + 1 < _layers.Length && _layers[i + 1].Layer is EncryptedMaxPool2d pool && !x.RequiresGrad)
            {
                // max(relu(a), relu(b)) = relu(max(a, b)): pool first, then ReLU on what is left.
                x = await pool.ForwardAsync(x, cancellationToken).ConfigureAwait(false);
                x = await layer.ForwardAsync(x, cancellationToken).ConfigureAwait(false);
                i++;
                continue;
            }

            x = await layer.ForwardAsync(x, cancellationToken).ConfigureAwait(false);
        }

        return x;
    }

    /// <inheritdoc/>
    public override IEnumerable<(string Name, EncryptedTensor Parameter)> NamedParameters() =>
        _layers.SelectMany(l => l.Layer.NamedParameters().Select(p => ($"{l.Name}.{p.Name}", p.Parameter)));

    /// <inheritdoc/>
    public override IEnumerable<(string Name, EncryptedTensor Buffer)> NamedBuffers() =>
        _layers.SelectMany(l => l.Layer.NamedBuffers().Select(b => ($"{l.Name}.{b.Name}", b.Buffer)));
}
