using Tessera.Mpc.Protocols;

namespace Tessera.Mpc.Learning;

/// <summary>
/// Losses on encrypted predictions and labels, each a single-element encrypted tensor (mean over the batch) recorded on
/// the autograd tape with the cheap closed-form gradient: sigmoid(z) - y for binary cross-entropy with logits,
/// softmax(z) - onehot for softmax cross-entropy (no log in either backward), 2 (p - y) for the squared error. Labels get
/// no gradient.
/// </summary>
public static class EncryptedLoss
{
    /// <summary>
    /// Mean binary cross-entropy with logits, mean(softplus(z) - y z) with softplus(z) = relu(z) + ln(1 + exp(-|z|)) (the log
    /// on [1, 2]; |z| below 2^8, the exp's range). Gradient (sigmoid(z) - y) / n.
    /// </summary>
    /// <param name="logits">Encrypted logits z.</param>
    /// <param name="labels">Encrypted labels y in {0, 1} (or [0, 1]), the same shape.</param>
    /// <param name="sigmoid">The sigmoid's iterations for the backward; null for the defaults.</param>
    /// <param name="computeValue">False to skip the forward value (the result holds shares of 0 and only its backward is
    /// meaningful): saves the comparison, exp and log, about 190 rounds, when only the gradient is needed.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The loss, shape [].</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static async ValueTask<EncryptedTensor> BinaryCrossEntropyWithLogitsAsync(
        EncryptedTensor logits, EncryptedTensor labels, SigmoidOptions? sigmoid = null, bool computeValue = true,
        CancellationToken cancellationToken = default)
    {
        CheckPair(logits, labels);
        var z = logits.Detach();
        var y = labels.Detach();
        var n = logits.Count;
        var loss = computeValue
            ? await BinaryCrossEntropyValueAsync(z, y, cancellationToken).ConfigureAwait(false)
            : z.Reshape(-1).Narrow(0, 0, 1).Reshape([]).Mul(0);
        return EncryptedTensor.FromShares(loss.Shares).Record(
            "binary cross-entropy with logits",
            async (g, ct) =>
            {
                var s = await z.SigmoidAsync(sigmoid, ct).ConfigureAwait(false);
                var local = await s.Sub(y).ScaleAsync(1.0 / n, ct).ConfigureAwait(false);
                return [await EncryptedTensor.ScaleByUpstreamAsync(local, g, ct).ConfigureAwait(false), null];
            },
            logits,
            labels);
    }

    private static async ValueTask<EncryptedTensor> BinaryCrossEntropyValueAsync(
        EncryptedTensor z, EncryptedTensor y, CancellationToken cancellationToken)
    {
        var relu = await z.ReluAsync(cancellationToken).ConfigureAwait(false);
        var magnitude = await z.AbsAsync(cancellationToken).ConfigureAwait(false);
        var e = await magnitude.Neg().ExpAsync(null, cancellationToken).ConfigureAwait(false);
        var log = await e.Add(1.0).LogAsync(null, cancellationToken).ConfigureAwait(false);
        var yz = await y.MulAsync(z, cancellationToken).ConfigureAwait(false);
        return await relu.Add(log).Sub(yz).MeanAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Mean softmax cross-entropy over rows, -sum(onehot log_softmax(z)) / rows, the log-softmax along the last dimension
    /// (<see cref="EncryptedTensor.LogSoftmaxAsync"/>). Gradient (softmax(z) - onehot) / rows.
    /// </summary>
    /// <param name="logits">Encrypted logits [rows, classes] (or any shape; the last dimension is the classes).</param>
    /// <param name="oneHot">Encrypted one-hot labels, the same shape.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The loss, shape [].</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static async ValueTask<EncryptedTensor> SoftmaxCrossEntropyAsync(
        EncryptedTensor logits, EncryptedTensor oneHot, CancellationToken cancellationToken = default)
    {
        CheckPair(logits, oneHot);
        var y = oneHot.Detach();
        var (logSoftmax, _) = await logits.Detach().LogSoftmaxCoreAsync(null, null, cancellationToken).ConfigureAwait(false);
        var rows = logits.Count / logits.Shape[^1];
        var picked = await logSoftmax.MulAsync(y, cancellationToken).ConfigureAwait(false);
        var loss = await picked.Sum().ScaleAsync(-1.0 / rows, cancellationToken).ConfigureAwait(false);
        return EncryptedTensor.FromShares(loss.Shares).Record(
            "softmax cross-entropy",
            async (g, ct) =>
            {
                var p = await logSoftmax.ExpAsync(null, ct).ConfigureAwait(false);
                var local = await p.Sub(y).ScaleAsync(1.0 / rows, ct).ConfigureAwait(false);
                return [await EncryptedTensor.ScaleByUpstreamAsync(local, g, ct).ConfigureAwait(false), null];
            },
            logits,
            oneHot);
    }

    /// <summary>Mean squared error, mean((p - y)^2), recorded through its parts (gradient 2 (p - y) / n).</summary>
    /// <param name="predictions">Encrypted predictions.</param>
    /// <param name="targets">Encrypted targets, the same shape.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The loss, shape [].</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static async ValueTask<EncryptedTensor> MeanSquaredErrorAsync(
        EncryptedTensor predictions, EncryptedTensor targets, CancellationToken cancellationToken = default)
    {
        CheckPair(predictions, targets);
        var difference = predictions.Sub(targets);
        var square = await difference.MulAsync(difference, cancellationToken).ConfigureAwait(false);
        return await square.MeanAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void CheckPair(EncryptedTensor a, EncryptedTensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.Shape.SequenceEqual(b.Shape) || a.Session != b.Session)
        {
            throw new ArgumentException(
                $"Predictions [{string.Join(", ", a.Shape)}] and labels [{string.Join(", ", b.Shape)}] must have one shape and session.",
                nameof(b));
        }
    }
}
