namespace Tessera.Mpc.Protocols;

/// <summary>
/// Settings of <see cref="Approximations.InverseSqrtAsync"/>: Newton y &lt;- y (3 - x y^2) / 2 from CrypTen's initial
/// guess 2.2 exp(-(x / 2 + 0.2)) + 0.2 - x / 1024. Every party and the dealer must use the same values.
/// </summary>
public sealed record InverseSqrtOptions
{
    /// <summary>Newton iterations (default 3, as CrypTen); each costs three products and three truncations (6 rounds).</summary>
    public int Iterations { get; init; } = 3;

    /// <summary>The exp behind the initial guess (default <see cref="ExpOptions"/>' defaults).</summary>
    public ExpOptions Exp { get; init; } = new();

    /// <summary>Checks the values against the session's fractional bits.</summary>
    /// <param name="fractionalBits">The session's fractional bits f.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate(int fractionalBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Iterations, 1, nameof(Iterations));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Iterations, 64, nameof(Iterations));
        ArgumentNullException.ThrowIfNull(Exp, nameof(Exp));
        Exp.Validate(fractionalBits);
    }
}
