using Tessera.Mpc.Protocols;
using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Learning;

/// <summary>
/// Logistic regression trained by mini-batch gradient descent on encrypted (secret-shared) rows, for data that several
/// owners hold row-wise (use case 5: Alice's patients and Bob's patients). Neither party sees the other's rows; the
/// weights stay shared until <see cref="RevealToAsync"/> opens them to one chosen party.
/// </summary>
/// <remarks>
/// <para>The weights w [d, 1] and bias b start as shared zeros and are kept together as θ = [w; b] [d + 1, 1]; each
/// batch X [B, d] is extended by a public column of ones (party 0 adds it: local), so one step is
/// z = [X 1] θ (Beaver matmul + truncation, 2 rounds), p = sigmoid(z) (<see cref="Approximations.SigmoidAsync"/>, 40
/// rounds by default), g = [X 1]^T (p - y) (2 rounds), θ -= (lr / B) g. The last is a product with the public integer
/// round(lr / B 2^24) and a truncation by 24 bits (1 round), so the step size is exact to 2^-24 even for small lr / B;
/// it needs |lr g / B| &lt; 2^22. Every product needs |value| &lt; 2^(62 - 2f) before truncation (2^30 for f = 16):
/// standardized features keep z and g far below that.</para>
/// <para>Batches are consecutive rows in the order of the (public) row layout, e.g. Alice's rows then Bob's
/// (<see cref="ConcatRows"/>); shapes, the batch size, the learning rate and the step count are public, so the dealer
/// serves the same requests with <see cref="LogisticRegressionDealing"/> and receives nothing.</para>
/// </remarks>
public sealed class EncryptedLogisticRegression
{
    /// <summary>Extra fractional bits of the public step size lr / B in the update.</summary>
    public const int UpdateBits = 24;

    private SharedTensor _theta;

    /// <summary>Creates a model with shared zero weights and bias (no messages).</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="features">Features per row, d (at least 1).</param>
    /// <param name="options">Training settings, the same on every party and the dealer; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option or <paramref name="features"/> is out of range.</exception>
    public EncryptedLogisticRegression(MpcSession session, int features, LogisticRegressionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        options ??= new LogisticRegressionOptions();
        options.Validate(session.FractionalBits);
        Session = session;
        Features = features;
        Options = options;
        _theta = new SharedTensor(session, new ulong[features + 1], [features + 1, 1], session.FractionalBits);
    }

    /// <summary>The session.</summary>
    public MpcSession Session { get; }

    /// <summary>Features per row, d.</summary>
    public int Features { get; }

    /// <summary>The training settings.</summary>
    public LogisticRegressionOptions Options { get; }

    /// <summary>Gradient steps taken so far.</summary>
    public int Steps { get; private set; }

    /// <summary>The encrypted weights, [d, 1].</summary>
    public EncryptedTensor Weights => EncryptedTensor.FromShares(
        new SharedTensor(Session, _theta.Share.AsSpan(0, Features).ToArray(), [Features, 1], _theta.FractionalBits));

    /// <summary>The encrypted bias, [1].</summary>
    public EncryptedTensor Bias => EncryptedTensor.FromShares(
        new SharedTensor(Session, [_theta.Share[Features]], [1], _theta.FractionalBits));

    /// <summary>Stacks encrypted row blocks (e.g. Alice's [n0, d], then Bob's [n1, d]) into one [n0 + n1 + ..., d]; local.</summary>
    /// <param name="parts">Blocks with the same trailing dimension and scale, in the public order every party uses.</param>
    /// <returns>The stacked rows.</returns>
    /// <exception cref="ArgumentException">No blocks, or blocks that are not matrices of equal width and scale.</exception>
    public static EncryptedTensor ConcatRows(params EncryptedTensor[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0)
        {
            throw new ArgumentException("Nothing to concatenate.", nameof(parts));
        }

        var first = parts[0];
        var width = first.Rank == 2 ? first.Shape[1] : -1;
        if (parts.Any(p => p is null || p.Rank != 2 || p.Shape[1] != width || p.FractionalBits != first.FractionalBits
            || p.Session != first.Session))
        {
            throw new ArgumentException(
                "Row blocks must be matrices of one session with the same width and scale; got "
                + string.Join(", ", parts.Select(p => p is null ? "null" : $"[{string.Join(", ", p.Shape)}] f = {p.FractionalBits}"))
                + ".",
                nameof(parts));
        }

        var share = parts.SelectMany(p => p.Shares.Share).ToArray();
        var rows = parts.Sum(p => p.Shape[0]);
        return EncryptedTensor.FromShares(new SharedTensor(first.Session, share, [rows, width], first.FractionalBits));
    }

    /// <summary>One gradient step on an encrypted batch; 36 rounds with the default sigmoid.</summary>
    /// <param name="x">Features [B, d] at the session's scale.</param>
    /// <param name="y">Labels [B, 1] (0 or 1) at the session's scale.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>A task that completes when the weights are updated.</returns>
    /// <exception cref="ArgumentException">The shapes do not fit the model.</exception>
    public ValueTask StepAsync(EncryptedTensor x, EncryptedTensor y, CancellationToken cancellationToken = default)
    {
        var rows = CheckData(x, y);
        return StepCoreAsync(Augment(x.Shares.Share, rows), y.Shares.Share, rows, cancellationToken);
    }

    /// <summary>One epoch: batches of <see cref="LogisticRegressionOptions.BatchSize"/> consecutive rows in order (the last may
    /// be smaller), one step each.</summary>
    /// <param name="x">All features [N, d].</param>
    /// <param name="y">All labels [N, 1].</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>A task that completes after the last step.</returns>
    /// <exception cref="ArgumentException">The shapes do not fit the model.</exception>
    public async ValueTask TrainEpochAsync(EncryptedTensor x, EncryptedTensor y, CancellationToken cancellationToken = default)
    {
        var rows = CheckData(x, y);
        await Session.Provider.AnnounceAheadAsync(
            d => d.ServeLogisticRegressionAsync(rows, Features, 1, Options, Session.FractionalBits, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        var augmented = Augment(x.Shares.Share, rows);
        var width = Features + 1;
        for (var start = 0; start < rows; start += Options.BatchSize)
        {
            var batch = Math.Min(Options.BatchSize, rows - start);
            await StepCoreAsync(
                augmented.AsSpan(start * width, batch * width).ToArray(), y.Shares.Share.AsSpan(start, batch).ToArray(), batch,
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Encrypted probabilities sigmoid(X w + b) [N, 1]; 28 rounds with the default sigmoid.</summary>
    /// <param name="x">Features [N, d].</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The encrypted probabilities.</returns>
    public async ValueTask<EncryptedTensor> PredictProbabilitiesAsync(EncryptedTensor x, CancellationToken cancellationToken = default)
    {
        var rows = CheckFeatures(x);
        var z = await LogitsAsync(Augment(x.Shares.Share, rows), rows, cancellationToken).ConfigureAwait(false);
        return EncryptedTensor.FromShares(
            await Session.SigmoidAsync(z, Options.Sigmoid, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Opens the model to <paramref name="receiver"/> only; 1 round, 8(d + 1) bytes from each other party to it.</summary>
    /// <param name="receiver">The rank that learns the model.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The model on the receiver; null elsewhere.</returns>
    public async ValueTask<LogisticModel?> RevealToAsync(int receiver, CancellationToken cancellationToken = default)
    {
        var theta = await Session.RevealToAsync(_theta, receiver, cancellationToken).ConfigureAwait(false);
        if (theta is null)
        {
            return null;
        }

        var values = theta.Contiguous().ToArray<double>();
        return new LogisticModel(values.AsSpan(0, Features).ToArray(), values[Features]);
    }

    /// <summary>round(lr / B 2^<see cref="UpdateBits"/>): the public integer the gradient is multiplied by.</summary>
    internal static long StepFactor(LogisticRegressionOptions options, int batch)
    {
        var factor = (long)Math.Round(Math.ScaleB(options.LearningRate / batch, UpdateBits));
        if (factor < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), $"The step size lr / B = {options.LearningRate} / {batch} is below 2^-{UpdateBits}.");
        }

        return factor;
    }

    private async ValueTask StepCoreAsync(ulong[] augmented, ulong[] labels, int batch, CancellationToken cancellationToken)
    {
        var factor = StepFactor(Options, batch);
        var f = Session.FractionalBits;
        var width = Features + 1;
        var z = await LogitsAsync(augmented, batch, cancellationToken).ConfigureAwait(false);
        var p = await Session.SigmoidAsync(z, Options.Sigmoid, cancellationToken).ConfigureAwait(false);
        var error = ArithmeticLinear.Subtract(p, new SharedTensor(Session, labels, [batch, 1], f));
        var transposed = EncryptedTensor.FromShares(new SharedTensor(Session, augmented, [batch, width], f)).Transpose();
        var gradient = await transposed.MatMulAsync(EncryptedTensor.FromShares(error), cancellationToken).ConfigureAwait(false);
        var scaled = ArithmeticLinear.MultiplyPublic(gradient.Shares, factor);
        var update = await Session.TruncateAsync(scaled.With(scaled.Share, f + UpdateBits), UpdateBits, cancellationToken)
            .ConfigureAwait(false);
        _theta = ArithmeticLinear.Subtract(_theta, update);
        Steps++;
    }

    private async ValueTask<SharedTensor> LogitsAsync(ulong[] augmented, int rows, CancellationToken cancellationToken)
    {
        var x = EncryptedTensor.FromShares(new SharedTensor(Session, augmented, [rows, Features + 1], Session.FractionalBits));
        var z = await x.MatMulAsync(EncryptedTensor.FromShares(_theta), cancellationToken).ConfigureAwait(false);
        return z.Shares;
    }

    /// <summary>[X 1]: each row's share followed by the share of the constant 1 (party 0 holds 2^f, the others 0).</summary>
    private ulong[] Augment(ulong[] share, int rows)
    {
        var width = Features + 1;
        var one = Session.Rank == 0 ? 1UL << Session.FractionalBits : 0UL;
        var result = new ulong[rows * width];
        for (var i = 0; i < rows; i++)
        {
            share.AsSpan(i * Features, Features).CopyTo(result.AsSpan(i * width));
            result[(i * width) + Features] = one;
        }

        return result;
    }

    private int CheckFeatures(EncryptedTensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Session != Session || x.Rank != 2 || x.Shape[1] != Features || x.Shape[0] < 1
            || x.FractionalBits != Session.FractionalBits)
        {
            throw new ArgumentException(
                $"Features must be [N, {Features}] at {Session.FractionalBits} fractional bits in this session; got "
                + $"[{string.Join(", ", x.Shape)}] at {x.FractionalBits}.",
                nameof(x));
        }

        return x.Shape[0];
    }

    private int CheckData(EncryptedTensor x, EncryptedTensor y)
    {
        var rows = CheckFeatures(x);
        ArgumentNullException.ThrowIfNull(y);
        if (y.Session != Session || y.Rank != 2 || y.Shape[0] != rows || y.Shape[1] != 1 || y.FractionalBits != Session.FractionalBits)
        {
            throw new ArgumentException(
                $"Labels must be [{rows}, 1] at {Session.FractionalBits} fractional bits; got [{string.Join(", ", y.Shape)}] at "
                + $"{y.FractionalBits}.",
                nameof(y));
        }

        return rows;
    }
}
