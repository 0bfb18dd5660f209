using Tessera.Mpc.Providers;
using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Protocols;

/// <summary>
/// Approximations of exp, reciprocal, sigmoid and tanh on shared fixed-point values, built from Beaver products,
/// truncations and comparisons. Each has its iteration counts as an options record; the dealer serves them with
/// <see cref="Providers.ApproximationDealing"/> (the same public request sequence, given the session's fractional bits
/// and the same options). Ranges and measured errors: PROTOCOLS.md.
/// </summary>
/// <remarks>
/// <para>exp: (1 + x / 2^n)^(2^n). The base is formed at W = f + extra fractional bits by reinterpreting x's scale
/// (exact, or one truncation when f + n &gt; W), then n squarings, each followed by a truncation back to W (the last
/// one to f); each truncation's squaring truncation pair makes the next square local, so a squaring costs one round:
/// n + 1 rounds (also when the base needs no truncation: the first square is then a Beaver square instead). Valid for x in [-2^n, (62 - 2W) ln 2]; below -2^n the base turns negative and
/// the result is garbage.</para>
/// <para>reciprocal: y0 = 3 exp(0.5 - x) + 0.003 (CrypTen), then y &lt;- y (2 - x y); positive x in [0.1, 100].</para>
/// <para>sigmoid: one batched less-than-zero of [x, 2^n - x, 2^n + x] gives s = [x &lt; 0] and the clamp bits, so
/// t = -|clamp(x, -2^n, 2^n)| takes one product with bits (no truncation); e = exp(t) is in [0, 1], and exp's last
/// truncation is a squaring one that yields d = 1 + e in [1, 2] and d^2 together; one product gives d^3, so the cubic
/// guess 32/577 (51 - 53 d + 24 d^2 - 4 d^3) for r = 1 / d = sigmoid(|x|) is local (relative error at most 1/577, the
/// least a cubic reaches on [1, 2]: 1 - d P(d) = T4(2d - 3) / T4(-3)), and Newton steps refine it; finally
/// sigmoid(x) = r + s (1 - 2r), one product with a bit. Nothing overflows for any x.</para>
/// </remarks>
public static class Approximations
{
    /// <summary>exp(x) elementwise by the limit approximation: n + 1 rounds (one per squaring, one for the base or its Beaver square).</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares at the session's fractional bits, in [-2^n, <see cref="ExpOptions.MaxInput"/>].</param>
    /// <param name="options">Iterations and working precision (defaults: 8 squarings, 6 extra bits).</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>Shares of exp(x) at the session's fractional bits.</returns>
    public static ValueTask<SharedTensor> ExpAsync(
        this MpcSession session, SharedTensor x, ExpOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckScale(session, x);
        options ??= new ExpOptions();
        options.Validate(session.FractionalBits);
        return PlannedExpAsync(session, x, options, cancellationToken);
    }

    private static async ValueTask<SharedTensor> PlannedExpAsync(
        MpcSession session, SharedTensor x, ExpOptions options, CancellationToken cancellationToken)
    {
        await session.Provider.AnnounceAheadAsync(d => d.ServeExpAsync(x.Count, session.FractionalBits, options, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        return await ExpCoreAsync(session, x, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>1 / x elementwise for positive x in [0.1, 100]: Newton from CrypTen's initial guess.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares at the session's fractional bits.</param>
    /// <param name="options">Newton iterations (default 10) and the exp behind the guess.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>Shares of 1 / x at the session's fractional bits.</returns>
    public static async ValueTask<SharedTensor> ReciprocalAsync(
        this MpcSession session, SharedTensor x, ReciprocalOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckScale(session, x);
        options ??= new ReciprocalOptions();
        options.Validate(session.FractionalBits);
        await session.Provider.AnnounceAheadAsync(d => d.ServeReciprocalAsync(x.Count, session.FractionalBits, options, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        var negated = ArithmeticLinear.Negate(x);
        var shifted = AddConstant(negated, 0.5);
        var e = await ExpCoreAsync(session, shifted, options.Exp, cancellationToken).ConfigureAwait(false);
        var tripled = ArithmeticLinear.MultiplyPublic(e, 3);
        var y = AddConstant(tripled, 0.003);
        RecycledArrays<ulong>.Return(negated.Share, shifted.Share, e.Share, tripled.Share);
        for (var i = 0; i < options.Iterations; i++)
        {
            // Every y here is this method's own: each is dead once the next exists.
            var next = await NewtonReciprocalStepAsync(session, x, y, cancellationToken).ConfigureAwait(false);
            RecycledArrays<ulong>.Return(y.Share);
            y = next;
        }

        return y;
    }

    /// <summary>The logistic sigmoid 1 / (1 + exp(-x)) elementwise, for every x (|x| is clamped to 2^n inside).</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares at the session's fractional bits.</param>
    /// <param name="options">Exp and Newton iterations (defaults: 8 and 1).</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>Shares of sigmoid(x) at the session's fractional bits.</returns>
    public static async ValueTask<SharedTensor> SigmoidAsync(
        this MpcSession session, SharedTensor x, SigmoidOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckScale(session, x);
        options ??= new SigmoidOptions();
        options.Validate(session.FractionalBits);
        await session.Provider.AnnounceAheadAsync(d => d.ServeSigmoidAsync(x.Count, session.FractionalBits, options, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        var f = session.FractionalBits;
        var n = x.Count;
        var limit = 1UL << (options.Exp.Iterations + f);
        var first = session.Rank == 0;

        // s = [x < 0] as packed XOR bits, then -|x| = 2 x s - x by bit injection (one opening of x - a and the masked bits).
        var negative = await SignBit.TopBitAsync(session, x.Share, cancellationToken).ConfigureAwait(false);
        var (timesSign, signBits) = await BitInjection.MultiplyAsync(session, x.Share, negative, complement: false, cancellationToken)
            .ConfigureAwait(false);
        RecycledArrays<ulong>.Return(signBits);

        // The clamp: with m = L - |x| and p = [m < 0] = [|x| > L], t = -|clamp(x)| = -|x| - p m, one more sign and bit injection.
        var margin = RecycledArrays<ulong>.Rent(n);
        var l = first ? limit : 0UL;
        for (var i = 0; i < n; i++)
        {
            margin[i] = unchecked((2 * timesSign[i]) - x.Share[i] + l);
        }

        RecycledArrays<ulong>.Return(timesSign);
        var over = await SignBit.TopBitAsync(session, margin, cancellationToken).ConfigureAwait(false);
        var (excess, overBits) = await BitInjection.MultiplyAsync(session, margin, over, complement: false, cancellationToken)
            .ConfigureAwait(false);
        var clamped = RecycledArrays<ulong>.Rent(n);
        for (var i = 0; i < n; i++)
        {
            clamped[i] = unchecked(margin[i] - l - excess[i]);
        }

        RecycledArrays<ulong>.Return(overBits, margin, excess);
        var t = x.With(clamped, f);

        // d = 1 + exp(t) in [1, 2] at g bits and d^2 at 2g from exp's last truncation (a squaring truncation pair with the
        // 1 as its addend), then d^3 from one product.
        var g = SigmoidDenominatorBits(f);
        var squares = await ExpSquaresAsync(session, t, options.Exp, cancellationToken).ConfigureAwait(false);
        var (d, squareOfD) = await Truncation.TruncateAndSquareAsync(session, squares, squares.FractionalBits - g, 1UL << g, cancellationToken)
            .ConfigureAwait(false);
        RecycledArrays<ulong>.Return(clamped, squares.Share);
        var cubeOfD = await session.MulAsync(d, d.With(squareOfD, 2 * g), cancellationToken).ConfigureAwait(false);

        // r = 1 / d: the guess P(d) = 32/577 (51 - 53 d + 24 d^2 - 4 d^3), whose relative error 1 - d P(d) = T4(2d - 3) / 577
        // is the least possible for a cubic on [1, 2] (1/577), then Newton. The integer part is exact at 3g bits; the factor
        // 32/577 brings it to SigmoidGuessBits bits, and one truncation to f.
        var guessBits = SigmoidGuessBits;
        var factorOf = unchecked((ulong)(long)Math.Round(Math.ScaleB(32.0 / 577, guessBits - (3 * g))));
        var guess = RecycledArrays<ulong>.Rent(n);
        var one = first ? 51UL << (3 * g) : 0UL;
        for (var i = 0; i < n; i++)
        {
            var integer = unchecked(one - (53 * (d.Share[i] << (2 * g))) + (24 * (squareOfD[i] << g)) - (4 * cubeOfD.Share[i]));
            guess[i] = unchecked(factorOf * integer);
        }

        var r = await session.TruncateAsync(x.With(guess, guessBits), guessBits - f, cancellationToken).ConfigureAwait(false);
        RecycledArrays<ulong>.Return(squareOfD, cubeOfD.Share, guess);
        if (g < f)
        {
            var widened = ArithmeticLinear.MultiplyPublic(d, 1L << (f - g));
            RecycledArrays<ulong>.Return(d.Share);
            d = widened;
        }

        d = d.With(d.Share, f);
        for (var i = 0; i < options.ReciprocalIterations; i++)
        {
            var next = await NewtonReciprocalStepAsync(session, d, r, cancellationToken).ConfigureAwait(false);
            RecycledArrays<ulong>.Return(r.Share);
            r = next;
        }

        // sigmoid(x) = r for x >= 0, 1 - r for x < 0: r + s (1 - 2r), the product with s's packed bits by bit injection.
        var doubled = ArithmeticLinear.MultiplyPublic(r, -2);
        var flip = AddConstant(doubled, 1.0);
        var (correction, bits) = await BitInjection.MultiplyAsync(session, flip.Share, negative, complement: false, cancellationToken)
            .ConfigureAwait(false);
        var result = ArithmeticLinear.Add(r, x.With(correction, f));
        RecycledArrays<ulong>.Return(bits, d.Share, r.Share, doubled.Share, flip.Share, correction);
        return result;
    }

    /// <summary>tanh(x) = 2 sigmoid(2x) - 1 elementwise, for every x.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares at the session's fractional bits.</param>
    /// <param name="options">The sigmoid's settings.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>Shares of tanh(x) at the session's fractional bits.</returns>
    public static async ValueTask<SharedTensor> TanhAsync(
        this MpcSession session, SharedTensor x, SigmoidOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckScale(session, x);
        var sigmoid = await session.SigmoidAsync(ArithmeticLinear.MultiplyPublic(x, 2), options, cancellationToken)
            .ConfigureAwait(false);
        return AddConstant(ArithmeticLinear.MultiplyPublic(sigmoid, 2), -1.0);
    }

    /// <summary>1 / sqrt(x) elementwise for positive x in [0.1, 100]: Newton y &lt;- y (3 - x y^2) / 2 from CrypTen's guess
    /// 2.2 exp(-(x / 2 + 0.2)) + 0.2 - x / 1024.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares at the session's fractional bits.</param>
    /// <param name="options">Newton iterations (default 3) and the exp behind the guess.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>Shares of 1 / sqrt(x) at the session's fractional bits.</returns>
    public static async ValueTask<SharedTensor> InverseSqrtAsync(
        this MpcSession session, SharedTensor x, InverseSqrtOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckScale(session, x);
        options ??= new InverseSqrtOptions();
        options.Validate(session.FractionalBits);
        await session.Provider.AnnounceAheadAsync(d => d.ServeInverseSqrtAsync(x.Count, session.FractionalBits, options, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        var f = session.FractionalBits;

        // exp(-(x / 2 + 0.2)) = exp((-x - 0.4) / 2): one more halving of the base, no extra round.
        var e = await ExpCoreAsync(session, AddConstant(ArithmeticLinear.Negate(x), -0.4), options.Exp, cancellationToken, halvings: 1)
            .ConfigureAwait(false);
        var guess = AddConstant(ArithmeticLinear.Add(MultiplyConstant(e, 2.2), MultiplyConstant(x, -1.0 / 1024)), 0.2);
        var y = await session.RescaleAsync(guess, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < options.Iterations; i++)
        {
            var square = await session.RescaleAsync(await session.SquareAsync(y, cancellationToken).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false);
            var scaled = await session.RescaleAsync(await session.MulAsync(x, square, cancellationToken).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false);
            var residual = AddConstant(ArithmeticLinear.Negate(scaled), 3.0);

            // y (3 - x y^2) at 2f bits, truncated by f + 1: the result read at f bits is half the product.
            var product = await session.MulAsync(y, residual, cancellationToken).ConfigureAwait(false);
            var halved = await session.TruncateAsync(product, f + 1, cancellationToken).ConfigureAwait(false);
            y = halved.With(halved.Share, f);
        }

        return y;
    }

    /// <summary>sqrt(x) = x / sqrt(x) elementwise for positive x in [0.1, 100].</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares at the session's fractional bits.</param>
    /// <param name="options">The inverse square root's settings.</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>Shares of sqrt(x) at the session's fractional bits.</returns>
    public static async ValueTask<SharedTensor> SqrtAsync(
        this MpcSession session, SharedTensor x, InverseSqrtOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckScale(session, x);
        await session.Provider.AnnounceAheadAsync(d => d.ServeSqrtAsync(x.Count, session.FractionalBits, options, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        var inverse = await session.InverseSqrtAsync(x, options, cancellationToken).ConfigureAwait(false);
        return await session.RescaleAsync(await session.MulAsync(x, inverse, cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The truncation shift after each squaring of exp's chain (the last returns to f).</summary>
    internal static int ExpSquareShift(int fractionalBits, ExpOptions options, int step)
    {
        var w = options.WorkingBits(fractionalBits);
        return step == options.Iterations - 1 ? (2 * w) - fractionalBits : w;
    }

    /// <summary>The truncation that forms exp's base x / 2^n at W bits, or 0 when reinterpreting the scale suffices.</summary>
    internal static int ExpBaseShift(int fractionalBits, ExpOptions options, int halvings = 0) =>
        Math.Max(0, fractionalBits + options.Iterations + halvings - options.WorkingBits(fractionalBits));

    /// <summary>
    /// The fractional bits g of sigmoid's d = 1 + exp(t) before its cube: min(f, 16), so that d^3 at 3g bits times the
    /// guess's factor stays below 2^<see cref="SigmoidGuessBits"/>.
    /// </summary>
    internal static int SigmoidDenominatorBits(int fractionalBits) => Math.Min(fractionalBits, 16);

    /// <summary>The fractional bits of sigmoid's reciprocal guess before its truncation to f (the guess is at most 1.002).</summary>
    internal const int SigmoidGuessBits = 61;

    /// <summary>exp(x / 2^halvings): the base is 1 + x / 2^(n + halvings), then n squarings and a truncation to f.</summary>
    private static async ValueTask<SharedTensor> ExpCoreAsync(
        MpcSession session, SharedTensor x, ExpOptions options, CancellationToken cancellationToken, int halvings = 0)
    {
        var square = await ExpSquaresAsync(session, x, options, cancellationToken, halvings).ConfigureAwait(false);
        var result = await session.TruncateAsync(square, square.FractionalBits - session.FractionalBits, cancellationToken).ConfigureAwait(false);
        RecycledArrays<ulong>.Return(square.Share);
        return result;
    }

    /// <summary>exp(x / 2^halvings) at 2W fractional bits, the last square before its truncation (the caller's).</summary>
    private static async ValueTask<SharedTensor> ExpSquaresAsync(
        MpcSession session, SharedTensor x, ExpOptions options, CancellationToken cancellationToken, int halvings = 0)
    {
        var f = session.FractionalBits;
        var n = options.Iterations;
        var w = options.WorkingBits(f);

        // x at f bits read at f + n + h bits is x / 2^(n + h); bring it to W bits, exactly when f + n + h <= W.
        var scale = f + n + halvings;
        var u = x.With(x.Share, scale);
        var baseShift = ExpBaseShift(f, options, halvings);
        var one = 1UL << w;
        SharedTensor square;
        if (baseShift > 0)
        {
            // The base 1 + x / 2^n and its square from one truncation (a squaring truncation pair): 1 round.
            var (truncated, first) = await Truncation.TruncateAndSquareAsync(session, u, baseShift, one, cancellationToken).ConfigureAwait(false);
            RecycledArrays<ulong>.Return(truncated.Share);
            square = u.With(first, 2 * w);
        }
        else
        {
            if (scale < w)
            {
                u = ArithmeticLinear.MultiplyPublic(u, 1L << (w - scale));
                u = u.With(u.Share, w);
            }

            square = await session.SquareAsync(AddConstant(u, 1.0), cancellationToken).ConfigureAwait(false);
        }

        // Each squaring's truncation also yields the next square (squaring truncation pairs), so a squaring costs one
        // opening; the last truncation, back to f, is a plain one. Every square but the result is this chain's own and
        // dead once the next exists.
        for (var step = 0; step < n - 1; step++)
        {
            var (truncated, next) = await Truncation.TruncateAndSquareAsync(session, square, ExpSquareShift(f, options, step), 0, cancellationToken)
                .ConfigureAwait(false);
            RecycledArrays<ulong>.Return(truncated.Share, square.Share);
            square = square.With(next, 2 * w);
        }

        return square;
    }

    /// <summary>
    /// Whether a Newton step y (2 - x y) skips the truncation of x y: the second product then sits at 3f bits, below 2^62
    /// for |y| &lt; 16 and 0 &lt; x y &lt; 2 (where the iteration converges) when 3f &lt;= 57, i.e. f &lt;= 19.
    /// </summary>
    internal static bool FusesNewtonTruncation(int fractionalBits) => 3 * fractionalBits <= 57;

    /// <summary>y (2 - x y): 3 rounds with one truncation when <see cref="FusesNewtonTruncation"/>, else 4.</summary>
    private static async ValueTask<SharedTensor> NewtonReciprocalStepAsync(
        MpcSession session, SharedTensor x, SharedTensor y, CancellationToken cancellationToken)
    {
        var f = session.FractionalBits;
        if (FusesNewtonTruncation(f))
        {
            // x y stays at 2f bits, 2 - x y too, and y (2 - x y) at 3f is truncated once by 2f: two products and one
            // truncation (3 rounds) instead of two of each (4), with one rounding instead of two.
            var exact = await session.MulAsync(x, y, cancellationToken).ConfigureAwait(false);
            var negated = ArithmeticLinear.Negate(exact);
            var remainder = AddConstant(negated, 2.0);
            var product = await session.MulAsync(y, remainder, cancellationToken).ConfigureAwait(false);
            var result = await session.TruncateAsync(product, 2 * f, cancellationToken).ConfigureAwait(false);
            RecycledArrays<ulong>.Return(exact.Share, negated.Share, remainder.Share, product.Share);
            return result;
        }

        var xy = await session.RescaleAsync(await session.MulAsync(x, y, cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
        var residual = AddConstant(ArithmeticLinear.Negate(xy), 2.0);
        return await session.RescaleAsync(await session.MulAsync(y, residual, cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>x + c for a public real c, encoded at x's scale (party 0 adds it).</summary>
    private static SharedTensor AddConstant(SharedTensor x, double value)
    {
        var result = (ulong[])x.Share.Clone();
        if (x.Session.Rank == 0)
        {
            var encoded = unchecked((ulong)(long)Math.Round(Math.ScaleB(value, x.FractionalBits)));
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = unchecked(result[i] + encoded);
            }
        }

        return x.With(result, x.FractionalBits);
    }

    /// <summary>x c for a public real c encoded at the session's f bits; the result has f more fractional bits.</summary>
    private static SharedTensor MultiplyConstant(SharedTensor x, double value)
    {
        var f = x.Session.FractionalBits;
        var encoded = unchecked((ulong)(long)Math.Round(Math.ScaleB(value, f)));
        var result = new ulong[x.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = unchecked(x.Share[i] * encoded);
        }

        return x.With(result, x.FractionalBits + f);
    }

    private static void CheckScale(MpcSession session, SharedTensor x)
    {
        ArithmeticSharing.Check(session, x);
        if (x.FractionalBits != session.FractionalBits)
        {
            throw new ArgumentException(
                $"The shares have {x.FractionalBits} fractional bits; approximations take the session's {session.FractionalBits}.",
                nameof(x));
        }
    }
}
