namespace Tessera.Mpc.Providers;

/// <summary>
/// This party's additive shares of a truncation pair for a shift of s bits: a uniformly random r in Z_2^64, r &gt;&gt; s
/// (logical shift of r read as unsigned) and msb(r) (0 or 1), each as ring elements.
/// </summary>
/// <param name="Shift">The shift s.</param>
/// <param name="R">This party's share of r.</param>
/// <param name="RShifted">This party's share of r &gt;&gt; s.</param>
/// <param name="RTopBit">This party's share of the top bit of r.</param>
public sealed record TruncationPair(int Shift, ulong[] R, ulong[] RShifted, ulong[] RTopBit)
{
    /// <inheritdoc cref="BeaverTriple.Owned"/>
    internal bool Owned { get; init; }

    /// <summary>Hands the arrays over for reuse when <see cref="Owned"/>; the pair must not be read afterwards.</summary>
    internal void Recycle()
    {
        if (Owned)
        {
            RecycledArrays<ulong>.Return(R, RShifted, RTopBit);
        }
    }
}
