using Tessera.Mpc.Protocols;
using Tessera.Mpc.Sharing;

namespace Tessera.Mpc;

/// <content>
/// Nonlinear functions (approximations; ranges and measured errors in PROTOCOLS.md), means, softmax and log-softmax along
/// the last dimension, and division, each with its backward pass.
/// </content>
public sealed partial class EncryptedTensor
{
    /// <summary>Extra fractional bits of a public factor in <see cref="ScaleAsync"/>.</summary>
    public const int ScaleBits = 24;

    /// <summary>
    /// this * c for a small public real c encoded at <see cref="ScaleBits"/> bits (exact to 2^-24, unlike
    /// <see cref="MulAsync(double, CancellationToken)"/> which encodes c at f bits): one local product and one truncation by
    /// 24 bits, 1 round. Needs |this c| &lt; 2^(38 - f).
    /// </summary>
    /// <param name="factor">The public factor, |factor| below 2^14.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The product at the session's scale.</returns>
    public async ValueTask<EncryptedTensor> ScaleAsync(double factor, CancellationToken cancellationToken = default)
    {
        if (!double.IsFinite(factor) || Math.Abs(factor) >= 1 << 14)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be finite and below 2^14 in magnitude.");
        }

        var k = (long)Math.Round(Math.ScaleB(factor, ScaleBits));
        var product = ArithmeticLinear.MultiplyPublic(Shares, k);
        var truncated = await Session.TruncateAsync(product.With(product.Share, FractionalBits + ScaleBits), ScaleBits, cancellationToken)
            .ConfigureAwait(false);
        return new EncryptedTensor(truncated)
            .Record("scale", async (g, ct) => [await g.ScaleAsync(factor, ct).ConfigureAwait(false)], this);
    }

    /// <summary>The mean of all elements, shape []: local sum, then <see cref="ScaleAsync"/> by 1 / n; 1 round.</summary>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The mean.</returns>
    public ValueTask<EncryptedTensor> MeanAsync(CancellationToken cancellationToken = default) =>
        Sum().ScaleAsync(1.0 / Count, cancellationToken);

    /// <summary>The mean over dimension <paramref name="dim"/>: local sum, then a scale by 1 / size; 1 round.</summary>
    /// <param name="dim">The dimension; negative counts from the end.</param>
    /// <param name="keepDim">Keep the reduced dimension with size 1.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The means.</returns>
    public ValueTask<EncryptedTensor> MeanAsync(int dim, bool keepDim = false, CancellationToken cancellationToken = default)
    {
        var d = NormalizeDim(dim, nameof(dim));
        return Sum(d, keepDim).ScaleAsync(1.0 / ShapeArray[d], cancellationToken);
    }

    /// <summary>exp(this) elementwise (<see cref="Approximations.ExpAsync"/>); gradient g exp(x).</summary>
    /// <param name="options">Iterations; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The result.</returns>
    public async ValueTask<EncryptedTensor> ExpAsync(ExpOptions? options = null, CancellationToken cancellationToken = default)
    {
        var y = new EncryptedTensor(await Session.ExpAsync(Shares, options, cancellationToken).ConfigureAwait(false));
        var saved = y.Detach();
        return y.Record("exp", async (g, ct) => [await g.MulAsync(saved, ct).ConfigureAwait(false)], this);
    }

    /// <summary>ln(this) elementwise for positive values (<see cref="Logarithm.LogAsync"/>); gradient g / x.</summary>
    /// <param name="options">Iterations; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The result.</returns>
    public async ValueTask<EncryptedTensor> LogAsync(LogOptions? options = null, CancellationToken cancellationToken = default)
    {
        var y = new EncryptedTensor(await Session.LogAsync(Shares, options, cancellationToken).ConfigureAwait(false));
        return y.Record(
            "log",
            async (g, ct) => [await g.MulAsync(await ReciprocalCoreAsync(null, ct).ConfigureAwait(false), ct).ConfigureAwait(false)],
            this);
    }

    /// <summary>1 / this elementwise for positive values in [0.1, 100] (<see cref="Approximations.ReciprocalAsync"/>);
    /// gradient -g / x^2.</summary>
    /// <param name="options">Iterations; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The result.</returns>
    public async ValueTask<EncryptedTensor> ReciprocalAsync(ReciprocalOptions? options = null, CancellationToken cancellationToken = default)
    {
        var y = await ReciprocalCoreAsync(options, cancellationToken).ConfigureAwait(false);
        return y.Record(
            "reciprocal",
            async (g, ct) =>
            {
                var square = await y.Detach().MulAsync(y.Detach(), ct).ConfigureAwait(false);
                return [(await g.MulAsync(square, ct).ConfigureAwait(false)).Neg()];
            },
            this);
    }

    /// <summary>this / other elementwise, as this * (1 / other) for positive <paramref name="other"/> in [0.1, 100].</summary>
    /// <param name="other">The divisor, the same shape.</param>
    /// <param name="options">The reciprocal's iterations; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The quotient.</returns>
    public async ValueTask<EncryptedTensor> DivAsync(
        EncryptedTensor other, ReciprocalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(other);
        var reciprocal = await other.ReciprocalAsync(options, cancellationToken).ConfigureAwait(false);
        return await MulAsync(reciprocal, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The logistic sigmoid elementwise, for every input (<see cref="Approximations.SigmoidAsync"/>); gradient
    /// g s (1 - s).</summary>
    /// <param name="options">Iterations; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The result.</returns>
    public async ValueTask<EncryptedTensor> SigmoidAsync(SigmoidOptions? options = null, CancellationToken cancellationToken = default)
    {
        var s = new EncryptedTensor(await Session.SigmoidAsync(Shares, options, cancellationToken).ConfigureAwait(false));
        var saved = s.Detach();
        return s.Record(
            "sigmoid",
            async (g, ct) =>
            {
                var slope = await saved.MulAsync(saved.Neg().Add(1.0), ct).ConfigureAwait(false);
                return [await g.MulAsync(slope, ct).ConfigureAwait(false)];
            },
            this);
    }

    /// <summary>tanh elementwise, 2 sigmoid(2x) - 1 (<see cref="Approximations.TanhAsync"/>); gradient g (1 - t^2).</summary>
    /// <param name="options">The sigmoid's iterations; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The result.</returns>
    public async ValueTask<EncryptedTensor> TanhAsync(SigmoidOptions? options = null, CancellationToken cancellationToken = default)
    {
        var t = new EncryptedTensor(await Session.TanhAsync(Shares, options, cancellationToken).ConfigureAwait(false));
        var saved = t.Detach();
        return t.Record(
            "tanh",
            async (g, ct) =>
            {
                var slope = (await saved.MulAsync(saved, ct).ConfigureAwait(false)).Neg().Add(1.0);
                return [await g.MulAsync(slope, ct).ConfigureAwait(false)];
            },
            this);
    }

    /// <summary>1 / sqrt(this) for positive values in [0.1, 100] (<see cref="Approximations.InverseSqrtAsync"/>); gradient
    /// -g y^3 / 2.</summary>
    /// <param name="options">Iterations; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The result.</returns>
    public async ValueTask<EncryptedTensor> InverseSqrtAsync(InverseSqrtOptions? options = null, CancellationToken cancellationToken = default)
    {
        var y = new EncryptedTensor(await Session.InverseSqrtAsync(Shares, options, cancellationToken).ConfigureAwait(false));
        var saved = y.Detach();
        return y.Record(
            "inverse sqrt",
            async (g, ct) =>
            {
                var square = await saved.MulAsync(saved, ct).ConfigureAwait(false);
                var cube = await square.MulAsync(saved, ct).ConfigureAwait(false);
                return [await g.MulAsync(await cube.ScaleAsync(-0.5, ct).ConfigureAwait(false), ct).ConfigureAwait(false)];
            },
            this);
    }

    /// <summary>sqrt(this) for positive values in [0.1, 100] (<see cref="Approximations.SqrtAsync"/>); gradient
    /// g / (2 sqrt x).</summary>
    /// <param name="options">Iterations; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The result.</returns>
    public async ValueTask<EncryptedTensor> SqrtAsync(InverseSqrtOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inverse = new EncryptedTensor(await Session.InverseSqrtAsync(Shares, options, cancellationToken).ConfigureAwait(false));
        var y = new EncryptedTensor(await Session.RescaleAsync(
            await Session.MulAsync(Shares, inverse.Shares, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false));
        return y.Record(
            "sqrt",
            async (g, ct) => [await g.MulAsync(await inverse.ScaleAsync(0.5, ct).ConfigureAwait(false), ct).ConfigureAwait(false)],
            this);
    }

    /// <summary>
    /// Softmax along the last dimension: m = max over the row (a tree of elementwise maxima, 9 ceil(log2 n) rounds, not
    /// differentiated: softmax is invariant to it), e = exp(x - m) with x - m in [-2^n, 0], s = sum of e in [1, n],
    /// y = e / s with the reciprocal on [1, n] (n at most 100). Gradient y (g - sum(g y)).
    /// </summary>
    /// <param name="exp">The exp's iterations; null for the defaults.</param>
    /// <param name="reciprocal">The reciprocal's iterations; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The probabilities, this shape.</returns>
    public async ValueTask<EncryptedTensor> SoftmaxAsync(
        ExpOptions? exp = null, ReciprocalOptions? reciprocal = null, CancellationToken cancellationToken = default)
    {
        var (e, sum) = await ShiftedExpAsync(exp, cancellationToken).ConfigureAwait(false);
        var r = await sum.ReciprocalCoreAsync(reciprocal, cancellationToken).ConfigureAwait(false);
        var y = await e.MulAsync(r.ExpandDim(ShapeArray, Rank - 1), cancellationToken).ConfigureAwait(false);
        var saved = y.Detach();
        var last = Rank - 1;
        return new EncryptedTensor(y.Shares).Record(
            "softmax",
            async (g, ct) =>
            {
                var gy = await g.MulAsync(saved, ct).ConfigureAwait(false);
                var centred = g.Sub(gy.Sum(last).ExpandDim(saved.ShapeArray, last));
                return [await centred.MulAsync(saved, ct).ConfigureAwait(false)];
            },
            this);
    }

    /// <summary>
    /// Log-softmax along the last dimension: (x - m) - ln(sum exp(x - m)) with the row maximum m as in
    /// <see cref="SoftmaxAsync"/> and ln on [1, n]. Gradient g - softmax sum(g), the softmax recomputed as exp(output).
    /// </summary>
    /// <param name="exp">The exp's iterations; null for the defaults.</param>
    /// <param name="log">The log's iterations; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>The log-probabilities, this shape.</returns>
    public async ValueTask<EncryptedTensor> LogSoftmaxAsync(
        ExpOptions? exp = null, LogOptions? log = null, CancellationToken cancellationToken = default)
    {
        var (y, _) = await LogSoftmaxCoreAsync(exp, log, cancellationToken).ConfigureAwait(false);
        var saved = y.Detach();
        var last = Rank - 1;
        return y.Record(
            "log softmax",
            async (g, ct) =>
            {
                var p = await saved.ExpAsync(exp, ct).ConfigureAwait(false);
                var spread = await p.MulAsync(g.Sum(last).ExpandDim(saved.ShapeArray, last), ct).ConfigureAwait(false);
                return [g.Sub(spread)];
            },
            this);
    }

    /// <summary>The log-softmax (not recorded) and the shifted exponentials it came from.</summary>
    internal async ValueTask<(EncryptedTensor LogSoftmax, EncryptedTensor ShiftedExp)> LogSoftmaxCoreAsync(
        ExpOptions? exp, LogOptions? log, CancellationToken cancellationToken)
    {
        var shifted = await ShiftedAsync(cancellationToken).ConfigureAwait(false);
        var e = new EncryptedTensor(await Session.ExpAsync(shifted.Shares, exp, cancellationToken).ConfigureAwait(false));
        var sum = e.Sum(Rank - 1);
        var logSum = new EncryptedTensor(await Session.LogAsync(sum.Shares, log, cancellationToken).ConfigureAwait(false));
        return (shifted.Sub(logSum.ExpandDim(ShapeArray, Rank - 1)), e);
    }

    /// <summary>x - max over the last dimension (not recorded).</summary>
    private async ValueTask<EncryptedTensor> ShiftedAsync(CancellationToken cancellationToken)
    {
        if (Rank == 0)
        {
            throw new InvalidOperationException("Softmax needs at least one dimension.");
        }

        var width = ShapeArray[^1];
        var rows = Count / Math.Max(1, width);
        var current = Shares.Share;
        var currentWidth = width;
        while (currentWidth > 1)
        {
            var half = currentWidth / 2;
            var odd = currentWidth % 2;
            var left = new ulong[rows * half];
            var right = new ulong[rows * half];
            for (var r = 0; r < rows; r++)
            {
                Array.Copy(current, r * currentWidth, left, r * half, half);
                Array.Copy(current, (r * currentWidth) + half, right, r * half, half);
            }

            var max = await Session.MaxAsync(
                new SharedTensor(Session, left, [rows, half], FractionalBits),
                new SharedTensor(Session, right, [rows, half], FractionalBits),
                cancellationToken).ConfigureAwait(false);
            var next = new ulong[rows * (half + odd)];
            for (var r = 0; r < rows; r++)
            {
                Array.Copy(max.Share, r * half, next, r * (half + odd), half);
                if (odd == 1)
                {
                    next[(r * (half + 1)) + half] = current[(r * currentWidth) + currentWidth - 1];
                }
            }

            current = next;
            currentWidth = half + odd;
        }

        var rowMax = new EncryptedTensor(new SharedTensor(Session, current, ShapeArray[..^1], FractionalBits));
        return new EncryptedTensor(ArithmeticLinear.Subtract(Shares, rowMax.ExpandDim(ShapeArray, Rank - 1).Shares));
    }

    private async ValueTask<(EncryptedTensor Exp, EncryptedTensor Sum)> ShiftedExpAsync(ExpOptions? exp, CancellationToken cancellationToken)
    {
        var shifted = await ShiftedAsync(cancellationToken).ConfigureAwait(false);
        var e = new EncryptedTensor(await Session.ExpAsync(shifted.Shares, exp, cancellationToken).ConfigureAwait(false));
        return (e, e.Sum(Rank - 1));
    }

    private async ValueTask<EncryptedTensor> ReciprocalCoreAsync(ReciprocalOptions? options, CancellationToken cancellationToken) =>
        new(await Session.ReciprocalAsync(Shares, options, cancellationToken).ConfigureAwait(false));
}
