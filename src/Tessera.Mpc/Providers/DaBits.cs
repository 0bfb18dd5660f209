namespace Tessera.Mpc.Providers;

/// <summary>
/// This party's shares of <paramref name="Count"/> random bits r in both domains: XOR shares packed 64 to a word (bit j
/// of element i*64 + j is bit j of word i; the bits past <paramref name="Count"/> in the last word are unused) and
/// additive shares of each bit as a ring element (0 or 1). Bit-to-arithmetic conversion opens b XOR r.
/// </summary>
/// <param name="Count">How many bits.</param>
/// <param name="PackedBits">This party's XOR share of the bits, ceil(Count / 64) words.</param>
/// <param name="Arithmetic">This party's additive share of each bit, Count elements.</param>
public sealed record DaBits(int Count, ulong[] PackedBits, ulong[] Arithmetic)
{
    /// <inheritdoc cref="BeaverTriple.Owned"/>
    internal bool Owned { get; init; }

    /// <summary>Hands the arrays over for reuse when <see cref="Owned"/>; the material must not be read afterwards.</summary>
    internal void Recycle()
    {
        if (Owned)
        {
            RecycledArrays<ulong>.Return(PackedBits, Arithmetic);
        }
    }
}
