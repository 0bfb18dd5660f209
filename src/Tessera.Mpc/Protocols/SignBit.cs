using System.Runtime.Intrinsics.X86;

namespace Tessera.Mpc.Protocols;

/// <summary>
/// The top bit of additively shared ring elements as packed XOR-shared bits, with a carry tree that halves its width at
/// every level and packs the surviving bits of all elements densely, so the AND traffic shrinks with each level.
/// </summary>
/// <remarks>
/// <para>As in A2B, the parties open c = x + r and add c + (-r), but only the carry into bit 63 is needed:
/// msb(x) = p_63 XOR carry_63, with g = c AND -r, p = c XOR -r local. The carry is the generate of bits 0..62. Shifting
/// g and p up by one (position 0 gets g = 0) makes it the generate of all 64 positions, which a balanced tree of
/// (G, P) = (G_hi XOR (P_hi AND G_lo), P_hi AND P_lo) computes in six levels. The lowest group's P is never read (it is
/// always the lo side), so position 0's p does not matter and is left 0.</para>
/// <para>Every element's bits are packed back to back (64, 32, ..., 1 per element), so splitting a level's stream into
/// its odd (hi) and even (lo) bits splits every element's pairs at once. Level widths 64, 32, 16, 8, 4, 2 cost
/// 2 x 32n, 2 x 16n, ..., 1 x n AND bits: 125 bits, about 2 words, per element instead of 11 words for the full adder.</para>
/// </remarks>
internal static class SignBit
{
    private const int Levels = 6;

    /// <summary>AND words the tree consumes for <paramref name="count"/> elements (the dealer serves this many).</summary>
    public static int AndWords(int count)
    {
        var words = 0L;
        var bits = 64L * count;
        for (var level = 0; level < Levels; level++)
        {
            bits /= 2;
            var half = (int)((bits + 63) >> 6);
            words += level == Levels - 1 ? half : 2L * half;
        }

        return checked((int)words);
    }

    /// <summary>Packed XOR shares of msb(x) for additive shares x: edaBits(n), AND triples(AndWords(n)); 7 rounds.</summary>
    public static async ValueTask<ulong[]> TopBitAsync(MpcSession session, ulong[] x, CancellationToken cancellationToken)
    {
        var n = x.Length;
        var provider = session.Provider;
        var eda = await provider.GetEdaBitsAsync(n, cancellationToken).ConfigureAwait(false);
        var triples = await provider.GetAndTripleAsync(AndWords(n), cancellationToken).ConfigureAwait(false);
        var c = await Conversions.OpenMaskedAsync(session, x, eda.R, cancellationToken).ConfigureAwait(false);

        var negR = eda.NegatedRBits;
        var first = session.Rank == 0;
        // Every element of these is written below, and they (with c and the material) are dead once this returns.
        var g = RecycledArrays<ulong>.Rent(n);
        var p = RecycledArrays<ulong>.Rent(n);
        var topPropagate = RecycledArrays<ulong>.Rent(n);
        for (var i = 0; i < n; i++)
        {
            var propagate = first ? c[i] ^ negR[i] : negR[i];
            topPropagate[i] = propagate;
            g[i] = (c[i] & negR[i]) << 1;
            p[i] = propagate << 1;
        }

        var offset = 0;
        for (var level = 0; level < Levels; level++)
        {
            var (gHi, gLo) = Split(g);
            var (pHi, pLo) = Split(p);
            if (level == 0)
            {
                RecycledArrays<ulong>.Return(g, p);
            }

            var half = gHi.Length;
            var last = level == Levels - 1;
            ulong[] left, right;
            if (last)
            {
                (left, right) = (pHi, gLo);
            }
            else
            {
                left = [.. pHi, .. pHi];
                right = [.. gLo, .. pLo];
            }

            var product = await BinaryAnd.AndCoreAsync(session, left, right, triples, offset, cancellationToken).ConfigureAwait(false);
            offset += left.Length;
            BinaryKernels.Xor(gHi, product.AsSpan(0, half), gHi);
            g = gHi;
            if (!last)
            {
                p = product[half..];
            }
        }

        var msb = Conversions.Pack(topPropagate, 63);
        BinaryKernels.Xor(msb, g, msb);
        RecycledArrays<ulong>.Return(topPropagate, c);
        eda.Recycle();
        triples.Recycle();
        return msb;
    }

    /// <summary>The odd (hi) and even (lo) bits of a packed bit stream, each packed into half as many bits.</summary>
    private static (ulong[] Hi, ulong[] Lo) Split(ulong[] words)
    {
        var length = (words.Length + 1) >> 1;
        var hi = new ulong[length];
        var lo = new ulong[length];
        for (var j = 0; j < words.Length; j++)
        {
            var shift = (j & 1) << 5;
            hi[j >> 1] |= EvenBits(words[j] >> 1) << shift;
            lo[j >> 1] |= EvenBits(words[j]) << shift;
        }

        return (hi, lo);
    }

    /// <summary>Bits 0, 2, 4, ..., 62 of <paramref name="x"/> moved to bits 0..31.</summary>
    private static ulong EvenBits(ulong x)
    {
        if (Bmi2.X64.IsSupported)
        {
            return Bmi2.X64.ParallelBitExtract(x, 0x5555555555555555UL);
        }

        x &= 0x5555555555555555UL;
        x = (x | (x >> 1)) & 0x3333333333333333UL;
        x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0FUL;
        x = (x | (x >> 4)) & 0x00FF00FF00FF00FFUL;
        x = (x | (x >> 8)) & 0x0000FFFF0000FFFFUL;
        return (x | (x >> 16)) & 0x00000000FFFFFFFFUL;
    }
}
