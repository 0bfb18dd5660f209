namespace Tessera.Mpc.Providers;

/// <summary>
/// A truncation pair (r, r &gt;&gt; s, msb(r)) with shares of (r &gt;&gt; s)^2 and (r &gt;&gt; s) msb(r) besides: after the
/// truncation's opening the truncated value is a public part plus -(r &gt;&gt; s) + k msb(r) with k public, so its square
/// is local, and a chain of squarings (exp) needs one opening per squaring instead of two.
/// </summary>
/// <param name="Pair">The truncation pair.</param>
/// <param name="ShiftedSquare">This party's share of (r &gt;&gt; s)^2.</param>
/// <param name="ShiftedTimesTopBit">This party's share of (r &gt;&gt; s) msb(r).</param>
public sealed record SquaringTruncationPair(TruncationPair Pair, ulong[] ShiftedSquare, ulong[] ShiftedTimesTopBit)
{
    /// <inheritdoc cref="BeaverTriple.Owned"/>
    internal bool Owned { get; init; }

    /// <summary>Hands the arrays (the pair's too) over for reuse when <see cref="Owned"/>; the material must not be read afterwards.</summary>
    internal void Recycle()
    {
        if (Owned)
        {
            Pair.Recycle();
            RecycledArrays<ulong>.Return(ShiftedSquare, ShiftedTimesTopBit);
        }
    }
}
