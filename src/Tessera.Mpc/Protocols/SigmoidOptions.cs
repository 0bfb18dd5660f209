namespace Tessera.Mpc.Protocols;

/// <summary>
/// Settings of <see cref="Approximations.SigmoidAsync"/> and <see cref="Approximations.TanhAsync"/>: exp of -|x| (clamped
/// to [-2^n, 0], n the exp's squarings), then 1 / (1 + e) on [1, 2] by Newton from the linear guess 24/17 - 8/17 d.
/// Every party and the dealer must use the same values.
/// </summary>
public sealed record SigmoidOptions
{
    /// <summary>Newton iterations for 1 / (1 + e) (default 3: the guess is within 1/17 relative, so 3 iterations bring the
    /// error to (1/17)^8, far below one unit in the last place); 4 rounds each.</summary>
    public int ReciprocalIterations { get; init; } = 3;

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
