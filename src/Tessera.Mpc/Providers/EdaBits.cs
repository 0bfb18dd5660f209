namespace Tessera.Mpc.Providers;

/// <summary>
/// This party's shares of random ring elements r in both domains: additive shares of r and XOR shares of -r mod 2^64
/// (all 64 bits, one word per element). Arithmetic-to-binary conversion opens x + r and adds the public result to the
/// binary -r.
/// </summary>
/// <param name="R">This party's additive share of r.</param>
/// <param name="NegatedRBits">This party's XOR share of -r mod 2^64.</param>
public sealed record EdaBits(ulong[] R, ulong[] NegatedRBits)
{
    /// <inheritdoc cref="BeaverTriple.Owned"/>
    internal bool Owned { get; init; }

    /// <summary>Hands the arrays over for reuse when <see cref="Owned"/>; the material must not be read afterwards.</summary>
    internal void Recycle()
    {
        if (Owned)
        {
            RecycledArrays<ulong>.Return(R, NegatedRBits);
        }
    }
}
