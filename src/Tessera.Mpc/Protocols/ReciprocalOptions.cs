namespace Tessera.Mpc.Protocols;

/// <summary>
/// Settings of <see cref="Approximations.ReciprocalAsync"/>: Newton-Raphson y &lt;- y (2 - x y) from CrypTen's initial
/// guess 3 exp(0.5 - x) + 0.003. Every party and the dealer must use the same values.
/// </summary>
public sealed record ReciprocalOptions
{
    /// <summary>Newton iterations (default 10, as CrypTen); each costs two products and one truncation (3 rounds; 4 above 19 fractional bits).</summary>
    public int Iterations { get; init; } = 10;

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
