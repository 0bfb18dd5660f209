using Tessera.Mpc.Providers;
using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Protocols;

/// <summary>
/// Comparisons of shared fixed-point tensors and the functions built on them: sign (less than zero), lt, gt, le, ge,
/// eq, ReLU, abs, max and min. Every comparison is exact for differences below 2^63 in magnitude as integers at their
/// scale (the sign is the top bit of the ring element, computed exactly), with no approximation or failure probability.
/// </summary>
/// <remarks>
/// <para>Less than zero: the packed carry tree of <c>SignBit</c> (open x + r, then six AND levels over 64, 32, ..., 2 bits
/// per element packed densely; 7 rounds), then B2A of the packed top bits (1 round): 8 rounds. Traffic from each party
/// to each other party: 8n (masked opening) + 8 O (O = opened AND words, <c>SignBit.OpenedWords</c>: at each level but the
/// last the left operand is shared by both products and its mask opened once, so 3 of every 4 words go out, about 2.94n)
/// + 8 ceil(n / 64) bytes, about 31.6 bytes per element; from the dealer to one party per request, rotating, 8n + 8W + 8n
/// (W = AND words, 125n / 64 rounded up per level, 1.953n for n a multiple of 128), about 31.6 bytes per element. Comparison results are additive shares of 0 or 1 with 0 fractional bits
/// (a product with them keeps the other operand's scale, so no truncation follows).</para>
/// <para>lt, gt, le, ge: one less-than-zero of x - y or y - x (8 rounds, as above). eq: 1 - [z &lt; 0] - [-z &lt; 0]
/// for z = x - y, both signs in one batched less-than-zero of 2n elements (8 rounds, twice the bytes). ReLU
/// x [x &gt;= 0], abs 2 ReLU(x) - x, max y + ReLU(x - y) and min x - ReLU(x - y): the sign tree, then x times the
/// complemented sign bit by bit injection (<see cref="BitInjection"/>: x - a and the masked bits in one message) instead
/// of a bit conversion and a Beaver product: 8 rounds, about 39.6 bytes per element to each other party and 39.6 from
/// the dealer.</para>
/// <para>The dealer serves these with <see cref="Providers.ComparisonDealing"/>.</para>
/// </remarks>
public static class Comparisons
{
    /// <summary>[x &lt; 0] elementwise: additive shares of 1 where x is negative, 0 elsewhere; 8 rounds.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares of the bits, fractional bits 0.</returns>
    public static async ValueTask<SharedTensor> LessThanZeroAsync(
        this MpcSession session, SharedTensor x, CancellationToken cancellationToken = default)
    {
        ArithmeticSharing.Check(session, x);
        await session.Provider.AnnounceAheadAsync(d => d.ServeLessThanZeroAsync(x.Count, cancellationToken), cancellationToken).ConfigureAwait(false);
        var bits = await LessThanZeroCoreAsync(session, x.Share, cancellationToken).ConfigureAwait(false);
        return x.With(bits, 0);
    }

    /// <summary>[x &lt; y] elementwise; 8 rounds.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares.</param>
    /// <param name="y">Shares of the same shape and scale.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares of the bits, fractional bits 0.</returns>
    public static ValueTask<SharedTensor> LessThanAsync(
        this MpcSession session, SharedTensor x, SharedTensor y, CancellationToken cancellationToken = default) =>
        session.LessThanZeroAsync(ArithmeticLinear.Subtract(x, y), cancellationToken);

    /// <summary>[x &gt; y] elementwise; 8 rounds.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares.</param>
    /// <param name="y">Shares of the same shape and scale.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares of the bits, fractional bits 0.</returns>
    public static ValueTask<SharedTensor> GreaterThanAsync(
        this MpcSession session, SharedTensor x, SharedTensor y, CancellationToken cancellationToken = default) =>
        session.LessThanZeroAsync(ArithmeticLinear.Subtract(y, x), cancellationToken);

    /// <summary>[x &lt;= y] = 1 - [x &gt; y] elementwise; 8 rounds.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares.</param>
    /// <param name="y">Shares of the same shape and scale.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares of the bits, fractional bits 0.</returns>
    public static async ValueTask<SharedTensor> LessEqualAsync(
        this MpcSession session, SharedTensor x, SharedTensor y, CancellationToken cancellationToken = default) =>
        OneMinus(await session.GreaterThanAsync(x, y, cancellationToken).ConfigureAwait(false));

    /// <summary>[x &gt;= y] = 1 - [x &lt; y] elementwise; 8 rounds.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares.</param>
    /// <param name="y">Shares of the same shape and scale.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares of the bits, fractional bits 0.</returns>
    public static async ValueTask<SharedTensor> GreaterEqualAsync(
        this MpcSession session, SharedTensor x, SharedTensor y, CancellationToken cancellationToken = default) =>
        OneMinus(await session.LessThanAsync(x, y, cancellationToken).ConfigureAwait(false));

    /// <summary>[x == y] elementwise, as 1 - [x - y &lt; 0] - [y - x &lt; 0] in one batched comparison; 8 rounds.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares.</param>
    /// <param name="y">Shares of the same shape and scale.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares of the bits, fractional bits 0.</returns>
    public static async ValueTask<SharedTensor> EqualAsync(
        this MpcSession session, SharedTensor x, SharedTensor y, CancellationToken cancellationToken = default)
    {
        ArithmeticSharing.Check(session, x);
        var z = ArithmeticLinear.Subtract(x, y);
        var n = z.Count;
        await session.Provider.AnnounceAheadAsync(d => d.ServeEqualAsync(n, cancellationToken), cancellationToken).ConfigureAwait(false);
        var both = new ulong[2 * n];
        z.Share.CopyTo(both, 0);
        RingKernels.Subtract(new ulong[n], z.Share, both.AsSpan(n));
        var signs = await LessThanZeroCoreAsync(session, both, cancellationToken).ConfigureAwait(false);
        var first = session.Rank == 0 ? 1UL : 0UL;
        var result = new ulong[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = unchecked(first - signs[i] - signs[n + i]);
        }

        return z.With(result, 0);
    }

    /// <summary>ReLU, x [x &gt;= 0] elementwise; 8 rounds.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares at x's scale.</returns>
    public static async ValueTask<SharedTensor> ReluAsync(
        this MpcSession session, SharedTensor x, CancellationToken cancellationToken = default)
    {
        ArithmeticSharing.Check(session, x);
        await session.Provider.AnnounceAheadAsync(d => d.ServeReluAsync(x.Count, cancellationToken), cancellationToken).ConfigureAwait(false);
        var (relu, nonNegative) = await ReluCoreAsync(session, x.Share, cancellationToken).ConfigureAwait(false);
        RecycledArrays<ulong>.Return(nonNegative);
        return x.With(relu, x.FractionalBits);
    }

    /// <summary>|x| = x (1 - 2[x &lt; 0]) elementwise; 8 rounds.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares at x's scale.</returns>
    public static async ValueTask<SharedTensor> AbsAsync(
        this MpcSession session, SharedTensor x, CancellationToken cancellationToken = default)
    {
        // |x| = 2 ReLU(x) - x.
        var relu = await session.ReluAsync(x, cancellationToken).ConfigureAwait(false);
        return ArithmeticLinear.Subtract(ArithmeticLinear.MultiplyPublic(relu, 2), x);
    }

    /// <summary>The elementwise maximum, y + ReLU(x - y); 8 rounds.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares.</param>
    /// <param name="y">Shares of the same shape and scale.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares at the operands' scale.</returns>
    public static async ValueTask<SharedTensor> MaxAsync(
        this MpcSession session, SharedTensor x, SharedTensor y, CancellationToken cancellationToken = default)
    {
        var relu = await session.ReluAsync(ArithmeticLinear.Subtract(x, y), cancellationToken).ConfigureAwait(false);
        return ArithmeticLinear.Add(y, relu);
    }

    /// <summary>The elementwise minimum, x - ReLU(x - y); 8 rounds.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares.</param>
    /// <param name="y">Shares of the same shape and scale.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares at the operands' scale.</returns>
    public static async ValueTask<SharedTensor> MinAsync(
        this MpcSession session, SharedTensor x, SharedTensor y, CancellationToken cancellationToken = default)
    {
        var relu = await session.ReluAsync(ArithmeticLinear.Subtract(x, y), cancellationToken).ConfigureAwait(false);
        return ArithmeticLinear.Subtract(x, relu);
    }

    /// <summary>
    /// Additive shares of the top bit of each ring element: the packed carry tree of <see cref="SignBit"/> (7 rounds), then
    /// B2A of the packed bits (1 round). Provider requests: edaBits(n), AND triples(SignBit.AndWords(n)), daBits(n).
    /// </summary>
    internal static async ValueTask<ulong[]> LessThanZeroCoreAsync(MpcSession session, ulong[] x, CancellationToken cancellationToken)
    {
        var packed = await SignBit.TopBitAsync(session, x, cancellationToken).ConfigureAwait(false);
        return await Conversions.BitToArithmeticCoreAsync(session, packed, x.Length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// x [x &gt;= 0] and the bits [x &gt;= 0] (additive, 0 fractional bits): the sign tree (7 rounds), then the product with
    /// the complemented XOR-shared sign bit by bit injection (1 round): 8 rounds. Provider requests: edaBits(n), AND
    /// triples(SignBit.AndWords(n)), bit products(n).
    /// </summary>
    internal static async ValueTask<(ulong[] Relu, ulong[] NonNegative)> ReluCoreAsync(MpcSession session, ulong[] x, CancellationToken cancellationToken)
    {
        var negative = await SignBit.TopBitAsync(session, x, cancellationToken).ConfigureAwait(false);
        var (product, bits) = await BitInjection.MultiplyAsync(session, x, negative, complement: true, cancellationToken).ConfigureAwait(false);
        return (product, bits);
    }

    /// <summary>1 - b for additive shares of bits (party 0 adds the 1).</summary>
    private static SharedTensor OneMinus(SharedTensor bits)
    {
        var first = bits.Session.Rank == 0 ? 1UL : 0UL;
        var result = new ulong[bits.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = unchecked(first - bits.Share[i]);
        }

        return bits.With(result, bits.FractionalBits);
    }
}
