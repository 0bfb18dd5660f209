using Tessera.NN;

namespace Tessera.Mpc.Learning;

/// <summary>
/// A multilayer perceptron (Linear, ReLU, ..., Linear) whose weights and biases are encrypted parameters, trained with
/// encrypted autograd and <see cref="EncryptedSgd"/> (use case 5). The model owner encrypts the initial weights of a
/// Tessera.Core model; data owners' rows are encrypted by them; gradients and updated weights stay shared until
/// <see cref="RevealToAsync"/> opens the model to one chosen party.
/// </summary>
/// <remarks>
/// One step: forward (per layer a Beaver matmul with the transposed weight + truncation, a local bias add, ReLU between
/// layers), the loss (binary cross-entropy with logits for one output, softmax cross-entropy otherwise), the backward
/// (two Beaver matmuls per layer, one product with the kept ReLU bits) and one truncation for the SGD update.
/// </remarks>
public sealed class EncryptedMlp
{
    private readonly EncryptedTensor[] _weights;
    private readonly EncryptedTensor[] _biases;

    private EncryptedMlp(EncryptedTensor[] weights, EncryptedTensor[] biases, int[] sizes)
    {
        _weights = weights;
        _biases = biases;
        Sizes = sizes;
    }

    /// <summary>Layer widths, input first (e.g. [30, 16, 1]).</summary>
    public IReadOnlyList<int> Sizes { get; }

    /// <summary>The encrypted parameters, weight [out, in] then bias [out] per layer, marked WithGrad.</summary>
    public IReadOnlyList<EncryptedTensor> Parameters => [.. _weights.Zip(_biases).SelectMany(p => new[] { p.First, p.Second })];

    /// <summary>Encrypts the model owner's layers; local, zero rounds.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="owner">The rank that holds the plaintext model.</param>
    /// <param name="layers">The owner's Linear layers with biases, in order; null on every other party.</param>
    /// <param name="sizes">Layer widths, input first, known to every party.</param>
    /// <returns>The encrypted model.</returns>
    /// <exception cref="ArgumentException">The owner's layers do not match the sizes, or fewer than two sizes.</exception>
    public static EncryptedMlp Encrypt(MpcSession session, int owner, IReadOnlyList<Linear>? layers, IReadOnlyList<int> sizes)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count < 2 || sizes.Any(s => s < 1))
        {
            throw new ArgumentException($"An MLP needs at least two positive widths; got [{string.Join(", ", sizes)}].", nameof(sizes));
        }

        var isOwner = session.Rank == owner;
        if (isOwner && (layers is null || layers.Count != sizes.Count - 1 || layers.Select((l, i) =>
            l.InFeatures != sizes[i] || l.OutFeatures != sizes[i + 1] || l.Bias is null).Any(bad => bad)))
        {
            throw new ArgumentException(
                $"The owner's layers must be {sizes.Count - 1} Linear layers with biases of widths [{string.Join(", ", sizes)}].",
                nameof(layers));
        }

        var weights = new EncryptedTensor[sizes.Count - 1];
        var biases = new EncryptedTensor[sizes.Count - 1];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = EncryptedTensor.Encrypt(
                session, owner, isOwner ? layers![i].Weight.Detach().To(DType.Float64) : null, sizes[i + 1], sizes[i]).WithGrad();
            biases[i] = EncryptedTensor.Encrypt(
                session, owner, isOwner ? layers![i].Bias!.Detach().To(DType.Float64) : null, sizes[i + 1]).WithGrad();
        }

        return new EncryptedMlp(weights, biases, [.. sizes]);
    }

    /// <summary>The logits [B, last width] of encrypted inputs [B, first width].</summary>
    /// <param name="x">Encrypted inputs.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The encrypted logits (recorded when the parameters require gradients).</returns>
    public async ValueTask<EncryptedTensor> ForwardAsync(EncryptedTensor x, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        var h = x;
        for (var i = 0; i < _weights.Length; i++)
        {
            h = (await h.MatMulAsync(_weights[i].Transpose(), cancellationToken).ConfigureAwait(false)).Add(_biases[i]);
            if (i < _weights.Length - 1)
            {
                h = await h.ReluAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return h;
    }

    /// <summary>
    /// One SGD step on an encrypted batch: forward, loss (binary cross-entropy with logits when the last width is 1,
    /// labels [B, 1]; softmax cross-entropy otherwise, one-hot labels [B, C]), backward, update.
    /// </summary>
    /// <param name="x">Encrypted inputs [B, first width].</param>
    /// <param name="labels">Encrypted labels.</param>
    /// <param name="optimizer">SGD over <see cref="Parameters"/>.</param>
    /// <param name="computeLoss">Also compute the loss value (binary cross-entropy's value costs a log, about 190 rounds;
    /// the gradient does not need it).</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The encrypted loss of the batch before the update; null unless <paramref name="computeLoss"/>.</returns>
    public async ValueTask<EncryptedTensor?> TrainStepAsync(
        EncryptedTensor x, EncryptedTensor labels, EncryptedSgd optimizer, bool computeLoss = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        optimizer.ZeroGrad();
        var logits = await ForwardAsync(x, cancellationToken).ConfigureAwait(false);
        var loss = Sizes[^1] == 1
            ? await EncryptedLoss.BinaryCrossEntropyWithLogitsAsync(logits, labels, null, computeLoss, cancellationToken).ConfigureAwait(false)
            : await EncryptedLoss.SoftmaxCrossEntropyAsync(logits, labels, cancellationToken).ConfigureAwait(false);
        await loss.BackwardAsync(null, cancellationToken).ConfigureAwait(false);
        await optimizer.StepAsync(cancellationToken).ConfigureAwait(false);
        return computeLoss ? loss : null;
    }

    /// <summary>Opens the weights and biases to <paramref name="receiver"/> only; 1 round per tensor.</summary>
    /// <param name="receiver">The rank that learns the model.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>(weight [out, in], bias [out]) per layer on the receiver; null elsewhere.</returns>
    public async ValueTask<IReadOnlyList<(Tensor Weight, Tensor Bias)>?> RevealToAsync(int receiver, CancellationToken cancellationToken = default)
    {
        var result = new List<(Tensor, Tensor)>();
        for (var i = 0; i < _weights.Length; i++)
        {
            var w = await _weights[i].DecryptToAsync(receiver, cancellationToken).ConfigureAwait(false);
            var b = await _biases[i].DecryptToAsync(receiver, cancellationToken).ConfigureAwait(false);
            if (w is not null && b is not null)
            {
                result.Add((w, b));
            }
        }

        return result.Count == 0 ? null : result;
    }
}
