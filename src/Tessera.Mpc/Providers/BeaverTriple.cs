namespace Tessera.Mpc.Providers;

/// <summary>This party's additive shares of a Beaver triple (a, b, c = a (op) b) over Z_2^64, flattened row-major.</summary>
/// <param name="Request">What the triple serves.</param>
/// <param name="A">This party's share of a.</param>
/// <param name="B">This party's share of b.</param>
/// <param name="C">This party's share of c.</param>
public sealed record BeaverTriple(TripleRequest Request, ulong[] A, ulong[] B, ulong[] C)
{
    /// <summary>
    /// Whether the arrays were made for this request alone (as <see cref="DealerCorrelationProvider"/> makes them), so the
    /// protocol that combined them may hand them to <see cref="RecycledArrays{T}"/> (<see cref="Recycle"/>). A provider
    /// that shares or keeps its arrays leaves this false.
    /// </summary>
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
