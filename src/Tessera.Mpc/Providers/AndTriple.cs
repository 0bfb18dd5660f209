namespace Tessera.Mpc.Providers;

/// <summary>
/// This party's XOR shares of <paramref name="A"/>, <paramref name="B"/> and C = A AND B: 64 independent bit triples per
/// element (one per bit of the word), for the AND of binary-shared words.
/// </summary>
/// <param name="A">This party's share of a.</param>
/// <param name="B">This party's share of b.</param>
/// <param name="C">This party's share of a AND b.</param>
public sealed record AndTriple(ulong[] A, ulong[] B, ulong[] C)
{
    /// <inheritdoc cref="BeaverTriple.Owned"/>
    internal bool Owned { get; init; }

    /// <summary>Hands the arrays over for reuse when <see cref="Owned"/>; the triple must not be read afterwards.</summary>
    internal void Recycle()
    {
        if (Owned)
        {
            RecycledArrays<ulong>.Return(A, B, C);
        }
    }
}
