namespace Tessera.Mpc.Providers;

/// <summary>
/// This party's shares of <paramref name="Count"/> random bits t with a random ring element a each and their product:
/// t XOR-shared (packed 64 to a word, as in <see cref="DaBits"/>) and additively shared, a and c = a t additively shared.
/// Multiplying a shared x by an XOR-shared bit b then takes one round: open x - a and b XOR t together.
/// </summary>
/// <param name="Count">How many.</param>
/// <param name="PackedBits">This party's XOR share of the bits, ceil(Count / 64) words.</param>
/// <param name="Bits">This party's additive share of each bit (0 or 1).</param>
/// <param name="A">This party's additive share of each random element.</param>
/// <param name="C">This party's additive share of each product a t.</param>
public sealed record BitProducts(int Count, ulong[] PackedBits, ulong[] Bits, ulong[] A, ulong[] C)
{
    /// <inheritdoc cref="BeaverTriple.Owned"/>
    internal bool Owned { get; init; }

    /// <summary>Hands the arrays over for reuse when <see cref="Owned"/>; the material must not be read afterwards.</summary>
    internal void Recycle()
    {
        if (Owned)
        {
            RecycledArrays<ulong>.Return(PackedBits, Bits, A, C);
        }
    }
}
