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
/// 2 x 32n, 2 x 16n, ..., 1 x n AND bits: 125 bits, about 2 words, per element instead of 11 words for the full adder.
/// Both products of a level share their left operand, so its mask is opened once (the dealer's triples repeat a across
/// the halves, <see cref="RepeatSharedMasks"/>): each party sends 94 bits per element in the AND rounds, not 125.</para>
/// </remarks>
internal static class SignBit
{
    private const int Levels = 6;

    /// <summary>
    /// The dealer's side of the repeated masks: in the summed a of a sign tree's triples, copies each level's first half
    /// over its second (every level but the last), so that c = a AND b matches what the parties compute with one mask.
    /// </summary>
    /// <param name="a">The a words of <see cref="AndWords"/>(<paramref name="count"/>) triples.</param>
    /// <param name="count">The tree's elements.</param>
    public static void RepeatSharedMasks(Span<ulong> a, int count)
    {
        var bits = 64L * count;
        var offset = 0;
        for (var level = 0; level < Levels; level++)
        {
            bits /= 2;
            var half = (int)((bits + 63) >> 6);
            if (level == Levels - 1)
            {
                break;
            }

            a.Slice(offset, half).CopyTo(a.Slice(offset + half, half));
            offset += 2 * half;
        }
    }

    /// <summary>Words each party sends to each other party in the tree's AND rounds for <paramref name="count"/> elements:
    /// three halves per level (the shared left operand once, both right halves), two at the last.</summary>
    public static int OpenedWords(int count)
    {
        var words = 0L;
        var bits = 64L * count;
        for (var level = 0; level < Levels; level++)
        {
            bits /= 2;
            var half = (bits + 63) >> 6;
            words += level == Levels - 1 ? 2 * half : 3 * half;
        }

        return checked((int)words);
    }

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
        var triples = await provider.GetSignTreeTriplesAsync(n, cancellationToken).ConfigureAwait(false);
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

        // Each level ANDs pHi with both halves of [gLo | pLo] in one round, opening pHi's mask once (the triples repeat a
        // across the halves); the splits write straight into those halves, and the product's upper half is the next
        // level's p, read where it lies. Every buffer is dead after its level.
        ulong[] pOwner = p;
        var (pStart, pWords) = (0, n);
        var offset = 0;
        for (var level = 0; level < Levels; level++)
        {
            var half = (pWords + 1) >> 1;
            var last = level == Levels - 1;
            var width = last ? half : 2 * half;
            var left = RecycledArrays<ulong>.Rent(half);
            var right = RecycledArrays<ulong>.Rent(width);
            var gHi = RecycledArrays<ulong>.Rent(half);
            Split(g.AsSpan(0, pWords), gHi, right.AsSpan(0, half));
            Split(pOwner.AsSpan(pStart, pWords), left, last ? Span<ulong>.Empty : right.AsSpan(half, half));
            RecycledArrays<ulong>.Return(g, pOwner);
            var product = last
                ? await BinaryAnd.AndCoreAsync(session, left, right, triples, offset, cancellationToken).ConfigureAwait(false)
                : await BinaryAnd.AndSharedLeftCoreAsync(session, left, right, triples, offset, cancellationToken).ConfigureAwait(false);
            RecycledArrays<ulong>.Return(left, right);
            offset += width;
            BinaryKernels.Xor(gHi, product.AsSpan(0, half), gHi);
            g = gHi;
            (pOwner, pStart, pWords) = (product, half, half);
        }

        RecycledArrays<ulong>.Return(pOwner);
        var msb = Conversions.Pack(topPropagate, 63);
        BinaryKernels.Xor(msb, g, msb);
        RecycledArrays<ulong>.Return(topPropagate, c, g);
        eda.Recycle();
        triples.Recycle();
        return msb;
    }

    /// <summary>The odd (hi) and even (lo) bits of a packed bit stream, each packed into half as many bits (an empty
    /// <paramref name="lo"/> skips the even bits).</summary>
    private static void Split(ReadOnlySpan<ulong> words, Span<ulong> hi, Span<ulong> lo)
    {
        var pairs = words.Length >> 1;
        for (var k = 0; k < pairs; k++)
        {
            ulong first = words[2 * k], second = words[(2 * k) + 1];
            hi[k] = EvenBits(first >> 1) | (EvenBits(second >> 1) << 32);
            if (!lo.IsEmpty)
            {
                lo[k] = EvenBits(first) | (EvenBits(second) << 32);
            }
        }

        if ((words.Length & 1) == 1)
        {
            var first = words[^1];
            hi[pairs] = EvenBits(first >> 1);
            if (!lo.IsEmpty)
            {
                lo[pairs] = EvenBits(first);
            }
        }
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
