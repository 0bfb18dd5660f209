namespace Tessera.Privacy.Mechanisms;

/// <summary>
/// The Laplace mechanism for real values, safe against floating-point attacks: exact discrete Laplace noise on a
/// power-of-two grid 2^20 times finer than the sensitivity (method and proof sketch in docs/privacy.md).
/// </summary>
public static class LaplaceMechanism
{
    /// <summary>
    /// Releases <paramref name="value"/> with epsilon-differential privacy for a query of L1 sensitivity
    /// <paramref name="l1Sensitivity"/>.
    /// </summary>
    /// <param name="value">The true query answer; finite.</param>
    /// <param name="l1Sensitivity">The query's L1 sensitivity; positive and finite.</param>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="random">The random source; <see cref="CryptoRandomSource.Instance"/> when null.</param>
    /// <returns>A multiple of <see cref="Granularity"/>: g (round(value / g) + Y), Y discrete Laplace with scale
    /// (ceil(sensitivity / g) + 1) / epsilon.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <remarks>
    /// The noise is that of the continuous Laplace mechanism with sensitivity <see cref="EffectiveSensitivity"/>
    /// (at most sensitivity (1 + 2^-19)), restricted to the grid: the standard deviation is about sqrt(2) sensitivity / epsilon.
    /// </remarks>
    public static double AddNoise(double value, double l1Sensitivity, double epsilon, IRandomSource? random = null)
    {
        GaussianCalibration.CheckPositiveFinite(l1Sensitivity, nameof(l1Sensitivity));
        GaussianCalibration.CheckPositiveFinite(epsilon, nameof(epsilon));
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "The value must be finite.");
        }

        var exponent = Grid.ExponentFor(l1Sensitivity);
        var units = Grid.Round(value, exponent, nameof(value));
        var noise = Grid.LaplaceNoise(random ?? CryptoRandomSource.Instance, Grid.RoundedSensitivity(l1Sensitivity, exponent), epsilon);
        return Grid.ToDouble(units + noise, exponent);
    }

    /// <summary>The grid step g = 2^(floor(log2 sensitivity) - 20) of the released values.</summary>
    /// <param name="sensitivity">The query's sensitivity; positive and finite.</param>
    /// <returns>The grid step.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sensitivity"/> is out of range.</exception>
    public static double Granularity(double sensitivity)
    {
        GaussianCalibration.CheckPositiveFinite(sensitivity, nameof(sensitivity));
        return Math.ScaleB(1.0, Grid.ExponentFor(sensitivity));
    }

    /// <summary>The sensitivity the noise is calibrated to after rounding to the grid: (ceil(sensitivity / g) + 1) g.</summary>
    /// <param name="sensitivity">The query's sensitivity; positive and finite.</param>
    /// <returns>The effective sensitivity, between sensitivity + g and sensitivity + 2g.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sensitivity"/> is out of range.</exception>
    public static double EffectiveSensitivity(double sensitivity)
    {
        GaussianCalibration.CheckPositiveFinite(sensitivity, nameof(sensitivity));
        var exponent = Grid.ExponentFor(sensitivity);
        return Grid.ToDouble(Grid.RoundedSensitivity(sensitivity, exponent), exponent);
    }
}
