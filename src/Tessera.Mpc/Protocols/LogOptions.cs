namespace Tessera.Mpc.Protocols;

/// <summary>
/// Settings of <see cref="Logarithm.LogAsync"/>: CrypTen's initial guess x / 120 - 20 exp(-2x - 1) + 3, then
/// <see cref="Iterations"/> Householder steps y &lt;- y - (h + h^2 / 2 + ... + h^k / k) with h = 1 - x exp(-y) and
/// k = <see cref="Order"/>. Every party must use the same values.
/// </summary>
public sealed record LogOptions
{
    /// <summary>Householder iterations (default 3).</summary>
    public int Iterations { get; init; } = 3;

    /// <summary>The order k of the series in each step (default 8).</summary>
    public int Order { get; init; } = 8;

    /// <summary>The exp inside: the fixed point of the iteration is the log of this approximate exp, so it defaults to 12
    /// squarings at 28 working bits (bias (ln x)^2 / 2^13 instead of (ln x)^2 / 2^9 with the default exp).</summary>
    public ExpOptions Exp { get; init; } = new() { Iterations = 12, ExtraFractionalBits = 12 };

    /// <summary>Checks the values against the session's fractional bits.</summary>
    /// <param name="fractionalBits">The session's fractional bits f.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate(int fractionalBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Iterations, 1, nameof(Iterations));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Iterations, 16, nameof(Iterations));
        ArgumentOutOfRangeException.ThrowIfLessThan(Order, 1, nameof(Order));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Order, 32, nameof(Order));
        ArgumentNullException.ThrowIfNull(Exp, nameof(Exp));
        Exp.Validate(fractionalBits);
    }
}
