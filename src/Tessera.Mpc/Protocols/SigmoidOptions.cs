namespace Tessera.Mpc.Protocols;

/// <summary>
/// Settings of <see cref="Approximations.SigmoidAsync"/> and <see cref="Approximations.TanhAsync"/>: exp of -|x| (clamped
/// to [-2^n, 0], n the exp's squarings), then 1 / (1 + e) on [1, 2] by Newton from the linear guess 24/17 - 8/17 d.
/// Every party and the dealer must use the same values.
/// </summary>
public sealed record SigmoidOptions
{
    /// <summary>Newton iterations for 1 / (1 + e) (default 2: the guess is within 1/17 relative, so 2 iterations bring the
    /// error to (1/17)^4 = 1.2e-5, below one unit in the last place at 16 fractional bits); 3 rounds each (4 above 19
    /// fractional bits).</summary>
    public int ReciprocalIterations { get; init; } = 2;

    /// <summary>The exp of -|x| (default <see cref="ExpOptions"/>' defaults; |x| is clamped to 2^Iterations).</summary>
    public ExpOptions Exp { get; init; } = new();

    /// <summary>Checks the values against the session's fractional bits.</summary>
    /// <param name="fractionalBits">The session's fractional bits f.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate(int fractionalBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ReciprocalIterations, 1, nameof(ReciprocalIterations));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ReciprocalIterations, 16, nameof(ReciprocalIterations));
        ArgumentNullException.ThrowIfNull(Exp, nameof(Exp));
        Exp.Validate(fractionalBits);
    }
}
