using System.Runtime.CompilerServices;
using Tessera.Mpc.Learning;
using Tessera.NN;

namespace Tessera.Mpc.Nn;

/// <summary>
/// A trained <see cref="Module"/> encrypted from the party that owns it (use case 4): the architecture (its
/// <see cref="ModuleSpec"/>) is public, the weights are secret shares, and inference runs on encrypted inputs with only
/// <see cref="EncryptedTensor"/> operations, so nothing but the result, revealed to a chosen party, is ever opened.
/// </summary>
/// <remarks>
/// <para>Supported layers: Sequential, Linear, Conv2d (one group, no dilation, square stride and padding), ReLU, MaxPool2d,
/// AvgPool2d, Flatten, Dropout (the identity in eval mode) and BatchNorm1d/2d. By default batch norm runs in eval mode
/// only (running statistics), folded by the owner into the Linear or Conv2d before it, otherwise a per-channel affine of
/// shared coefficients; with <see cref="EncryptedModelOptions.FoldBatchNorm"/> false it is an <see cref="EncryptedBatchNorm"/>
/// that trains with batch statistics. Anything else is refused, on every party, with a message naming the layer.</para>
/// <para>Training (use case 5): <see cref="Train"/> marks every parameter WithGrad and makes <see cref="ForwardAsync"/>
/// record the encrypted tape; <see cref="TrainStepAsync"/> runs forward, softmax cross-entropy, backward and an
/// <see cref="EncryptedSgd"/> step; dropout then draws its masks from the session's common random stream (public to the
/// computing parties, independent of the data), and unfolded batch norm normalises with the batch's statistics and moves
/// its encrypted running estimates. Models with folded batch norm are refused by <see cref="Train"/> and
/// <see cref="RevealToAsync"/>. <see cref="RevealToAsync"/> hands the trained weights (and batch norm's running estimates)
/// to one party as a Tessera.Core module.</para>
/// </remarks>
public sealed class EncryptedModel
{
    private const byte Folded = 0, Refused = 1, Unfolded = 2;

    private readonly string? _trainingRefusal;
    private readonly bool _hasFoldedBatchNorm;
    private readonly StrongBox<bool> _training;

    private EncryptedModel(
        MpcSession session, int owner, ModuleSpec spec, EncryptedModule root, Module structure, StrongBox<bool> training, bool foldBatchNorm)
    {
        _training = training;
        Session = session;
        Owner = owner;
        Spec = spec;
        Root = root;
        _hasFoldedBatchNorm = foldBatchNorm && Layers(structure).Any(m => m is BatchNorm);
        _trainingRefusal = _hasFoldedBatchNorm
            ? "This encrypted model folded its batch norm into the layers before it, so it cannot train (train mode needs "
              + "batch statistics); encrypt it with EncryptedModelOptions { FoldBatchNorm = false } to train it."
            : null;
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
    public static Task<EncryptedModel> EncryptAsync(
        MpcSession session, int owner, Module? module, CancellationToken cancellationToken = default) =>
        EncryptAsync(session, owner, module, new EncryptedModelOptions(), cancellationToken);

    /// <summary>
    /// As <see cref="EncryptAsync(MpcSession, int, Module?, CancellationToken)"/>, with the owner's choice of layout
    /// (<see cref="EncryptedModelOptions.FoldBatchNorm"/>), which travels with the architecture.
    /// </summary>
    /// <param name="session">This party's session.</param>
    /// <param name="owner">The computing party that holds the trained module.</param>
    /// <param name="module">The trained module on the owner; null on every other party.</param>
    /// <param name="options">The layout; on parties other than the owner, the owner's fold choice applies.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>This party's encrypted model.</returns>
    /// <exception cref="ArgumentException">The owner passed no module, or another party passed one.</exception>
    /// <exception cref="NotSupportedException">The module has a layer encrypted inference cannot run (on every party).</exception>
    public static async Task<EncryptedModel> EncryptAsync(
        MpcSession session, int owner, Module? module, EncryptedModelOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(options);
        options.BatchNormInverseSqrt.Validate(session.FractionalBits);
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
            // First byte: 0 the spec follows (batch norm folded), 2 the same unfolded, 1 a refusal follows.
            var kind = refusal is not null ? Refused : options.FoldBatchNorm ? Folded : Unfolded;
            var text = refusal ?? spec.ToJson();
            var payload = (byte[])[kind, .. System.Text.Encoding.UTF8.GetBytes(text)];
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

            if (payload.Length == 0 || payload[0] > Unfolded)
            {
                throw new InvalidDataException($"Party {owner} sent no valid architecture ({payload.Length} bytes).");
            }

            var text = System.Text.Encoding.UTF8.GetString(payload, 1, payload.Length - 1);
            if (payload[0] == Refused)
            {
                throw new NotSupportedException(text);
            }

            options = options with { FoldBatchNorm = payload[0] == Folded };

            try
            {
                spec = ModuleSpec.FromJson(text);
                structure = ModuleFactory.Create(spec);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new InvalidDataException($"Party {owner} sent an architecture that cannot be built: {e.Message}", e);
            }

            EncryptedModelBuilder.Validate(structure);
        }

        // Dropout layers read the model's mode: a mask in training, the identity in eval.
        var training = new StrongBox<bool>();
        var root = new EncryptedModelBuilder(session, owner, () => training.Value, options).Build(structure, "model");
        return new EncryptedModel(session, owner, spec, root, structure, training, options.FoldBatchNorm);
    }

    /// <summary>Whether <see cref="ForwardAsync"/> records the tape for training (after <see cref="Train"/>); false at first.</summary>
    public bool IsTraining
    {
        get => _training.Value;
        private set => _training.Value = value;
    }

    /// <summary>
    /// Runs the model on encrypted input (every party, same shapes). In eval mode (the default) nothing is recorded; in
    /// training mode the operations are recorded so that <see cref="EncryptedTensor.BackwardAsync"/> reaches the parameters.
    /// </summary>
    /// <param name="input">This party's encrypted input, e.g. [N, 1, 28, 28] images for LeNet-5.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The encrypted output (e.g. logits).</returns>
    /// <exception cref="ArgumentException">The input's shape does not fit a layer (the message names the layer and shape).</exception>
    public ValueTask<EncryptedTensor> ForwardAsync(EncryptedTensor input, CancellationToken cancellationToken = default) =>
        IsTraining
            ? Root.ForwardAsync(input, cancellationToken)
            : EncryptedTensor.WithoutRecordingAsync(() => Root.ForwardAsync(input, cancellationToken));

    /// <summary>Switches to training mode: every parameter is marked WithGrad and forward passes record the tape. Local.</summary>
    /// <returns>This model.</returns>
    /// <exception cref="NotSupportedException">The model folded its batch norm (train mode needs batch statistics).</exception>
    public EncryptedModel Train()
    {
        if (_trainingRefusal is not null)
        {
            throw new NotSupportedException(_trainingRefusal);
        }

        foreach (var p in Parameters().Where(p => !p.RequiresGrad))
        {
            p.WithGrad();
        }

        IsTraining = true;
        return this;
    }

    /// <summary>Switches to eval mode: forward passes record nothing (gradients already accumulated are kept). Local.</summary>
    /// <returns>This model.</returns>
    public EncryptedModel Eval()
    {
        IsTraining = false;
        return this;
    }

    /// <summary>Drops every parameter's accumulated gradient. Local.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters())
        {
            p.ZeroGrad();
        }
    }

    /// <summary>
    /// One SGD step on a batch: zero the gradients, forward (recorded), mean softmax cross-entropy against the encrypted
    /// one-hot labels, backward, and <paramref name="optimizer"/>'s update. Every party calls it with the same shapes.
    /// </summary>
    /// <param name="input">The encrypted batch, e.g. [N, 1, 28, 28].</param>
    /// <param name="oneHot">The encrypted one-hot labels, [N, classes].</param>
    /// <param name="optimizer">An optimizer over this model's parameters.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The encrypted loss before the update, shape [].</returns>
    /// <exception cref="InvalidOperationException">The model is not in training mode.</exception>
    public async ValueTask<EncryptedTensor> TrainStepAsync(
        EncryptedTensor input, EncryptedTensor oneHot, EncryptedSgd optimizer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(oneHot);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!IsTraining)
        {
            throw new InvalidOperationException("TrainStepAsync needs training mode; call Train() first.");
        }

        optimizer.ZeroGrad();
        var logits = await ForwardAsync(input, cancellationToken).ConfigureAwait(false);
        var loss = await EncryptedLoss.SoftmaxCrossEntropyAsync(logits, oneHot, cancellationToken).ConfigureAwait(false);
        await loss.BackwardAsync(null, cancellationToken).ConfigureAwait(false);
        await optimizer.StepAsync(cancellationToken).ConfigureAwait(false);
        return loss.Detach();
    }

    /// <summary>
    /// Reveals the weights to <paramref name="receiver"/> only, as a Tessera.Core module of the public architecture in eval
    /// mode (Float32 parameters, as <see cref="ModuleFactory.Create"/> makes them): one reveal-to-one of all parameters.
    /// Every party calls it; the others learn nothing.
    /// </summary>
    /// <param name="receiver">The party that gets the module, e.g. the model owner after training.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The module on the receiver; null elsewhere.</returns>
    /// <exception cref="NotSupportedException">The model folded its batch norm into shared coefficients.</exception>
    public async ValueTask<Module?> RevealToAsync(int receiver, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(receiver);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(receiver, Session.Parties);
        if (_hasFoldedBatchNorm)
        {
            throw new NotSupportedException(
                "RevealToAsync does not support folded batch norm: the encrypted model holds the folded coefficients, not the "
                + "layer's weight, bias and running statistics (encrypt with EncryptedModelOptions { FoldBatchNorm = false }).");
        }

        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, parameter) in NamedParameters().Concat(Root.NamedBuffers()))
        {
            var value = await parameter.DecryptToAsync(receiver, cancellationToken).ConfigureAwait(false);
            if (value is not null)
            {
                state[name] = value;
            }
        }

        if (Session.Rank != receiver)
        {
            return null;
        }

        var module = ModuleFactory.Create(Spec);
        module.LoadStateDict(state, strict: true);
        module.Eval();
        return module;
    }

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

    private static IEnumerable<Module> Layers(Module module) =>
        module.NamedChildren().SelectMany(c => Layers(c.Module)).Prepend(module);
}
