namespace Tessera.Mpc.Providers;

/// <summary>This party's additive shares of a Beaver triple (a, b, c = a (op) b) over Z_2^64, flattened row-major.</summary>
/// <param name="Request">What the triple serves.</param>
/// <param name="A">This party's share of a.</param>
/// <param name="B">This party's share of b.</param>
/// <param name="C">This party's share of c.</param>
public sealed record BeaverTriple(TripleRequest Request, ulong[] A, ulong[] B, ulong[] C);
