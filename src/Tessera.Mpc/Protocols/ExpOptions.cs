namespace Tessera.Mpc.Protocols;

/// <summary>
/// Settings of <see cref="Approximations.ExpAsync"/>: the limit approximation exp(x) ~ (1 + x / 2^n)^(2^n) with n
/// squarings. Every party and the dealer must use the same values.
/// </summary>
public sealed record ExpOptions
{
    /// <summary>n, the number of squarings (default 8, as CrypTen); the input range is [-2^n, ...] and each squaring costs
    /// one truncation round (its square comes with the truncation before it).</summary>
    public int Iterations { get; init; } = 8;

    /// <summary>
    /// Fractional bits the squaring chain keeps beyond the session's (default 6): the chain works at W = f + extra bits, so
    /// the base 1 + x / 2^n is nearly exact and rounding stays far below the approximation error. The upper end of the
    /// input range is (62 - 2W) ln 2 (12.47 for f = 16 and the default), because the last product must stay below 2^62.
    /// </summary>
    public int ExtraFractionalBits { get; init; } = 6;

    /// <summary>The largest input whose exp the last product can hold, (62 - 2W) ln 2 with W = f + extra bits.</summary>
    /// <param name="fractionalBits">The session's fractional bits f.</param>
    /// <returns>The upper end of the input range.</returns>
    public double MaxInput(int fractionalBits) => (62 - (2 * WorkingBits(fractionalBits))) * Math.Log(2);

    /// <summary>Checks the values against the session's fractional bits.</summary>
    /// <param name="fractionalBits">The session's fractional bits f.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate(int fractionalBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Iterations, 1, nameof(Iterations));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Iterations, 24, nameof(Iterations));
        ArgumentOutOfRangeException.ThrowIfNegative(ExtraFractionalBits, nameof(ExtraFractionalBits));
        if (WorkingBits(fractionalBits) > 29)
        {
            throw new ArgumentOutOfRangeException(
                nameof(ExtraFractionalBits), ExtraFractionalBits,
                $"f + extra fractional bits must be at most 29 (so that a product at 2W bits of values up to 8 fits below "
                + $"2^62); f is {fractionalBits}.");
        }
    }

    internal int WorkingBits(int fractionalBits) => fractionalBits + ExtraFractionalBits;
}
