using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Protocols;

/// <summary>
/// Conversions between additive and XOR sharing: arithmetic to binary (A2B) of whole ring elements with a log-depth
/// adder, and binary to arithmetic (B2A) of single bits.
/// </summary>
/// <remarks>
/// <para>A2B, with the dealer's edaBits (r additive, -r XOR-shared): (1) the parties open c = x + r mod 2^64 (uniform,
/// since r is; 8n bytes to each other party, one round); (2) x = c + (-r) is computed by a Kogge-Stone parallel-prefix
/// adder of the public c and the shared -r, 64 bits of an element in one word: generate g = c AND -r and propagate
/// p = c XOR -r are local (c is public), then six levels k = 1, 2, 4, 8, 16, 32 each set g = g XOR (p AND (g &lt;&lt; k))
/// and p = p AND (p &lt;&lt; k) with one batched AND round (the last level needs g only), and the sum is
/// p0 XOR (g &lt;&lt; 1). XOR suffices for OR because a group's generate and propagate are never both 1. Exact for every
/// ring element. Cost: 7 rounds; per element, 8 + 16 x 11 = 184 bytes from each party to each other party (2n AND
/// words in each of the first five levels, n in the last); from the dealer to one party per request, rotating, 8 bytes of edaBits and
/// 88 bytes of AND triples.</para>
/// <para>B2A of bits, with the dealer's daBits (a random bit r XOR-shared and additive): the parties open e = b XOR r,
/// packed 64 bits to a word (8 bytes per 64 elements to each other party, one round), and set
/// b = e + r - 2er, that is r where e = 0 and 1 - r where e = 1. From the dealer: 8 bytes per element.</para>
/// </remarks>
public static class Conversions
{
    /// <summary>AND words per element that one A2B consumes (five levels of two, one of one).</summary>
    internal const int AndWordsPerElement = 11;

    private static readonly int[] s_levels = [1, 2, 4, 8, 16, 32];

    /// <summary>Converts additive shares to XOR shares of the same ring elements (two's complement at x's scale); 7 rounds.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Additive shares.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>XOR shares of the 64-bit ring elements.</returns>
    public static async ValueTask<BinarySharedTensor> ToBinaryAsync(
        this MpcSession session, SharedTensor x, CancellationToken cancellationToken = default)
    {
        ArithmeticSharing.Check(session, x);
        var bits = await ToBinaryCoreAsync(session, x.Share, cancellationToken).ConfigureAwait(false);
        return new BinarySharedTensor(session, bits, (int[])x.ShapeArray.Clone());
    }

    /// <summary>Converts the XOR-shared bit 0 of each word to additive shares of 0 or 1 (0 fractional bits); one round.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="bits">XOR shares whose bit 0 holds the bit (the other 63 bits are ignored).</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Additive shares of the bits, as integers (fractional bits 0).</returns>
    public static async ValueTask<SharedTensor> BitToArithmeticAsync(
        this MpcSession session, BinarySharedTensor bits, CancellationToken cancellationToken = default)
    {
        BinarySharing.Check(session, bits);
        var packed = Pack(bits.Share, 0);
        var share = await BitToArithmeticCoreAsync(session, packed, bits.Count, cancellationToken).ConfigureAwait(false);
        return new SharedTensor(session, share, (int[])bits.ShapeArray.Clone(), 0);
    }

    /// <summary>A2B of raw additive shares: edaBits(n), then AND triples(11n), from the provider in that order.</summary>
    internal static async ValueTask<ulong[]> ToBinaryCoreAsync(MpcSession session, ulong[] x, CancellationToken cancellationToken)
    {
        var n = x.Length;
        var provider = session.Provider;
        var eda = await provider.GetEdaBitsAsync(n, cancellationToken).ConfigureAwait(false);
        var triples = await provider.GetAndTripleAsync(AndWordsPerElement * n, cancellationToken).ConfigureAwait(false);

        var c = await OpenMaskedAsync(session, x, eda.R, cancellationToken).ConfigureAwait(false);

        // Generate and propagate of c + (-r): local, since c is public.
        var negR = eda.NegatedRBits;
        var g = new ulong[n];
        BinaryKernels.And(c, negR, g);
        var p0 = (ulong[])negR.Clone();
        if (session.Rank == 0)
        {
            BinaryKernels.Xor(p0, c, p0);
        }

        var p = p0;
        var offset = 0;
        foreach (var k in s_levels)
        {
            var last = k == s_levels[^1];
            var left = new ulong[last ? n : 2 * n];
            var right = new ulong[left.Length];
            for (var i = 0; i < n; i++)
            {
                left[i] = p[i];
                right[i] = g[i] << k;
                if (!last)
                {
                    left[n + i] = p[i];
                    right[n + i] = p[i] << k;
                }
            }

            var product = await BinaryAnd.AndCoreAsync(session, left, right, triples, offset, cancellationToken).ConfigureAwait(false);
            offset += left.Length;
            BinaryKernels.Xor(g, product.AsSpan(0, n), g);
            if (!last)
            {
                p = product[n..];
            }
        }

        var sum = new ulong[n];
        for (var i = 0; i < n; i++)
        {
            sum[i] = p0[i] ^ (g[i] << 1);
        }

        return sum;
    }

    /// <summary>Opens c = x + r mod 2^64 (uniform, since r is) under the label "a2b"; one round, 8n bytes to each other party.</summary>
    internal static async ValueTask<ulong[]> OpenMaskedAsync(
        MpcSession session, ulong[] x, ulong[] r, CancellationToken cancellationToken)
    {
        var communicator = session.Communicator;
        using (communicator.BeginOperation("a2b"))
        {
            // x + r is public once sent, so its buffer may come from (and go back to) the shared pool.
            var n = x.Length;
            var payload = RingWire.Rent(n);
            try
            {
                RingKernels.Add(x, r, RingWire.AsRing(payload, n));
                var message = payload.AsMemory(0, n * sizeof(ulong));
                await RingWire.SendToOthersAsync(communicator, session.Parties, message, cancellationToken).ConfigureAwait(false);
                communicator.CountRound();
                return await RingWire.SumWithOthersAsync(communicator, session.Parties, message, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                RingWire.Return(payload);
            }
        }
    }

    /// <summary>B2A of <paramref name="count"/> packed XOR-shared bits: daBits(count) from the provider, one round.</summary>
    internal static async ValueTask<ulong[]> BitToArithmeticCoreAsync(
        MpcSession session, ulong[] packed, int count, CancellationToken cancellationToken)
    {
        var da = await session.Provider.GetDaBitsAsync(count, cancellationToken).ConfigureAwait(false);
        var masked = new ulong[packed.Length];
        BinaryKernels.Xor(packed, da.PackedBits, masked);
        ulong[] e;
        using (session.Communicator.BeginOperation("b2a"))
        {
            e = await BinaryWire.OpenAsync(session.Communicator, session.Parties, masked, cancellationToken).ConfigureAwait(false);
        }

        // The result is the caller's, from the pool (a caller done with it may give it back); e and the daBits are dead.
        var first = session.Rank == 0 ? 1UL : 0UL;
        var result = RecycledArrays<ulong>.Rent(count);
        var arithmetic = da.Arithmetic;
        for (var i = 0; i < count; i++)
        {
            // e = 0: r; e = 1: 1 - r (party 0 adds the 1), selected without a branch (e is a uniformly random bit).
            var select = unchecked(0UL - ((e[i >> 6] >> (i & 63)) & 1UL));
            var r = arithmetic[i];
            result[i] = r ^ ((r ^ unchecked(first - r)) & select);
        }

        RecycledArrays<ulong>.Return(e);
        da.Recycle();
        return result;
    }

    /// <summary>Packs bit <paramref name="bit"/> of each word, 64 to a word (the tail of the last word is zero).</summary>
    internal static ulong[] Pack(ReadOnlySpan<ulong> words, int bit)
    {
        var packed = new ulong[(words.Length + 63) >> 6];
        for (var i = 0; i < words.Length; i++)
        {
            packed[i >> 6] |= ((words[i] >> bit) & 1UL) << (i & 63);
        }

        return packed;
    }
}
