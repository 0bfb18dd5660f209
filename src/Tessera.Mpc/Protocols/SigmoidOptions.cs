namespace Tessera.Mpc.Protocols;

/// <summary>
/// Settings of <see cref="Approximations.SigmoidAsync"/> and <see cref="Approximations.TanhAsync"/>: exp of -|x| (clamped
/// to [-2^n, 0], n the exp's squarings), then 1 / d for d = 1 + e on [1, 2] by Newton from the cubic guess
/// 32/577 (51 - 53 d + 24 d^2 - 4 d^3), whose relative error is at most 1/577.
/// Every party and the dealer must use the same values.
/// </summary>
public sealed record SigmoidOptions
{
    /// <summary>Newton iterations for 1 / (1 + e) after the cubic guess (default 1: the guess is within 1/577 relative, so one
    /// iteration brings the error to 1/577^2 = 3.0e-6, below one unit in the last place at 16 fractional bits; 0 keeps the
    /// guess, 3 rounds fewer, absolute error 2.5e-3 measured on [-12, 12]); 3 rounds each (4 above 19 fractional bits).</summary>
    public int ReciprocalIterations { get; init; } = 1;

    /// <summary>The exp of -|x| (default <see cref="ExpOptions"/>' defaults; |x| is clamped to 2^Iterations).</summary>
    public ExpOptions Exp { get; init; } = new();

    /// <summary>Checks the values against the session's fractional bits.</summary>
    /// <param name="fractionalBits">The session's fractional bits f.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate(int fractionalBits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ReciprocalIterations, nameof(ReciprocalIterations));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ReciprocalIterations, 16, nameof(ReciprocalIterations));
        ArgumentNullException.ThrowIfNull(Exp, nameof(Exp));
        Exp.Validate(fractionalBits);
    }
}
