using Tessera.NN;

namespace Tessera.Mpc.Nn;

/// <summary>
/// A trained <see cref="Module"/> encrypted from the party that owns it (use case 4): the architecture (its
/// <see cref="ModuleSpec"/>) is public, the weights are secret shares, and inference runs on encrypted inputs with only
/// <see cref="EncryptedTensor"/> operations, so nothing but the result, revealed to a chosen party, is ever opened.
/// </summary>
/// <remarks>
/// Supported layers: Sequential, Linear, Conv2d (one group, no dilation, square stride and padding), ReLU, MaxPool2d,
/// AvgPool2d, Flatten, Dropout (identity) and BatchNorm1d/2d in eval mode (running statistics): folded by the owner into
/// the Linear or Conv2d before it, otherwise a per-channel affine of shared coefficients. Anything else is refused, on
/// every party, with a message naming the layer.
/// </remarks>
public sealed class EncryptedModel
{
    private EncryptedModel(MpcSession session, int owner, ModuleSpec spec, EncryptedModule root)
    {
        Session = session;
        Owner = owner;
        Spec = spec;
        Root = root;
    }

    /// <summary>The session.</summary>
    public MpcSession Session { get; }

    /// <summary>The rank that owned the plaintext weights.</summary>
    public int Owner { get; }

    /// <summary>The public architecture, as the owner described it.</summary>
    public ModuleSpec Spec { get; }

    /// <summary>The encrypted module tree.</summary>
    public EncryptedModule Root { get; }

    /// <summary>
    /// Encrypts <paramref name="module"/> from <paramref name="owner"/>: the owner sends the architecture (spec JSON, or a
    /// refusal naming an unsupported layer) to every other party (1 round), then every party secret-shares the weights
    /// from the owner (local). Every computing party calls this at the same point of its program.
    /// </summary>
    /// <param name="session">This party's session.</param>
    /// <param name="owner">The computing party that holds the trained module.</param>
    /// <param name="module">The trained module on the owner; null on every other party.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>This party's encrypted model.</returns>
    /// <exception cref="ArgumentException">The owner passed no module, or another party passed one.</exception>
    /// <exception cref="NotSupportedException">The module has a layer encrypted inference cannot run (on every party).</exception>
    public static async Task<EncryptedModel> EncryptAsync(
        MpcSession session, int owner, Module? module, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfNegative(owner);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(owner, session.Parties);
        var communicator = session.Communicator;
        ModuleSpec spec;
        Module structure;
        if (session.Rank == owner)
        {
            if (module is null)
            {
                throw new ArgumentException($"Party {owner} owns the model and must pass it; it passed null.", nameof(module));
            }

            string? refusal = null;
            try
            {
                EncryptedModelBuilder.Validate(module);
            }
            catch (NotSupportedException e)
            {
                refusal = e.Message;
            }

            // A refused module is never asked for its spec (a custom layer's ToSpec may throw), so the others always hear.
            spec = refusal is null ? module.ToSpec() : new ModuleSpec("Refused");
            var payload = refusal is null ? [0, .. System.Text.Encoding.UTF8.GetBytes(spec.ToJson())] : (byte[])[1, .. System.Text.Encoding.UTF8.GetBytes(refusal)];
            using (communicator.BeginOperation("nn-architecture"))
            {
                for (var p = 0; p < session.Parties; p++)
                {
                    if (p != owner)
                    {
                        await communicator.SendAsync(p, payload, cancellationToken).ConfigureAwait(false);
                    }
                }

                communicator.CountRound();
            }

            if (refusal is not null)
            {
                throw new NotSupportedException(refusal);
            }

            structure = module;
        }
        else
        {
            if (module is not null)
            {
                throw new ArgumentException(
                    $"Only the owner (party {owner}) passes the module; party {session.Rank} must pass null and learns the "
                    + "architecture from the owner.",
                    nameof(module));
            }

            byte[] payload;
            using (communicator.BeginOperation("nn-architecture"))
            {
                payload = await communicator.ReceiveAsync(owner, cancellationToken).ConfigureAwait(false);
            }

            if (payload.Length == 0 || payload[0] > 1)
            {
                throw new InvalidDataException($"Party {owner} sent no valid architecture ({payload.Length} bytes).");
            }

            var text = System.Text.Encoding.UTF8.GetString(payload, 1, payload.Length - 1);
            if (payload[0] == 1)
            {
                throw new NotSupportedException(text);
            }

            spec = ModuleSpec.FromJson(text);
            structure = ModuleFactory.Create(spec);
            EncryptedModelBuilder.Validate(structure);
        }

        var root = new EncryptedModelBuilder(session, owner).Build(structure, "model");
        return new EncryptedModel(session, owner, spec, root);
    }

    /// <summary>Runs the model on encrypted input (every party, same shapes).</summary>
    /// <param name="input">This party's encrypted input, e.g. [N, 1, 28, 28] images for LeNet-5.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The encrypted output (e.g. logits).</returns>
    /// <exception cref="ArgumentException">The input's shape does not fit a layer (the message names the layer and shape).</exception>
    public ValueTask<EncryptedTensor> ForwardAsync(EncryptedTensor input, CancellationToken cancellationToken = default) =>
        Root.ForwardAsync(input, cancellationToken);

    /// <summary>
    /// Classifies encrypted input and reveals only the predicted classes, and only to <paramref name="receiver"/>:
    /// forward, <see cref="EncryptedTensor.ArgMaxIndexAsync"/> over the last dimension, then a reveal to one party.
    /// </summary>
    /// <param name="input">This party's encrypted input.</param>
    /// <param name="receiver">The party that learns the predictions.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The predicted class per row on the receiver; null elsewhere.</returns>
    public async ValueTask<int[]?> PredictToAsync(EncryptedTensor input, int receiver, CancellationToken cancellationToken = default)
    {
        var logits = await ForwardAsync(input, cancellationToken).ConfigureAwait(false);
        var index = await logits.ArgMaxIndexAsync(cancellationToken).ConfigureAwait(false);
        var revealed = await index.DecryptToAsync(receiver, cancellationToken).ConfigureAwait(false);
        return revealed?.ToArray<double>().Select(v => (int)Math.Round(v)).ToArray();
    }

    /// <summary>The encrypted parameters with dotted names (a folded batch norm's are inside the layer before it).</summary>
    /// <returns>The parameters.</returns>
    public IEnumerable<(string Name, EncryptedTensor Parameter)> NamedParameters() => Root.NamedParameters();

    /// <summary>The encrypted parameters.</summary>
    /// <returns>The parameters.</returns>
    public IEnumerable<EncryptedTensor> Parameters() => NamedParameters().Select(p => p.Parameter);
}
