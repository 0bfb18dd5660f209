namespace Tessera.Privacy.Mechanisms;

/// <summary>
/// The Gaussian mechanism for real values, safe against floating-point attacks: exact discrete Gaussian noise
/// (Canonne, Kamath, Steinke 2020) on a power-of-two grid 2^20 times finer than the sensitivity, with sigma from the
/// analytic calibration of Balle and Wang 2018 (method in docs/privacy.md).
/// </summary>
public static class GaussianMechanism
{
    /// <summary>
    /// Releases <paramref name="value"/> with (<paramref name="epsilon"/>, <paramref name="delta"/>)-differential privacy
    /// for a query of L2 sensitivity <paramref name="l2Sensitivity"/>.
    /// </summary>
    /// <param name="value">The true query answer; finite.</param>
    /// <param name="l2Sensitivity">The query's L2 sensitivity; positive and finite.</param>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="delta">The failure probability; in (0, 1).</param>
    /// <param name="random">The random source; <see cref="CryptoRandomSource.Instance"/> when null.</param>
    /// <returns>The value rounded to the grid plus discrete Gaussian noise, as a multiple of the grid step.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static double AddNoise(double value, double l2Sensitivity, double epsilon, double delta, IRandomSource? random = null) =>
        AddNoiseWithSigma(value, l2Sensitivity, Sigma(l2Sensitivity, epsilon, delta), random);

    /// <summary>
    /// The sigma <see cref="AddNoise"/> uses: the analytic calibration for the sensitivity after rounding to the grid,
    /// <see cref="LaplaceMechanism.EffectiveSensitivity"/> (at most sensitivity (1 + 2^-19)).
    /// </summary>
    /// <param name="l2Sensitivity">The query's L2 sensitivity; positive and finite.</param>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="delta">The failure probability; in (0, 1).</param>
    /// <returns>Sigma.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static double Sigma(double l2Sensitivity, double epsilon, double delta) =>
        GaussianCalibration.AnalyticSigma(epsilon, delta, LaplaceMechanism.EffectiveSensitivity(l2Sensitivity));

    /// <summary>
    /// Adds discrete Gaussian noise with parameter <paramref name="sigma"/> on the grid chosen from
    /// <paramref name="l2Sensitivity"/>; the privacy guarantee is that of sigma for the effective sensitivity.
    /// </summary>
    /// <param name="value">The true query answer; finite.</param>
    /// <param name="l2Sensitivity">The query's L2 sensitivity, which fixes the grid; positive and finite.</param>
    /// <param name="sigma">The noise parameter (standard deviation, up to the discretisation); positive and finite.</param>
    /// <param name="random">The random source; <see cref="CryptoRandomSource.Instance"/> when null.</param>
    /// <returns>The noisy value, a multiple of the grid step.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static double AddNoiseWithSigma(double value, double l2Sensitivity, double sigma, IRandomSource? random = null)
    {
        GaussianCalibration.CheckPositiveFinite(l2Sensitivity, nameof(l2Sensitivity));
        GaussianCalibration.CheckPositiveFinite(sigma, nameof(sigma));
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "The value must be finite.");
        }

        var exponent = Grid.ExponentFor(l2Sensitivity);
        var units = Grid.Round(value, exponent, nameof(value));
        var sigmaUnits = Math.ScaleB(sigma, -exponent);
        if (!double.IsFinite(sigmaUnits))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Sigma is too large for the noise grid.");
        }

        var noise = Grid.GaussianNoise(random ?? CryptoRandomSource.Instance, sigmaUnits);
        return Grid.ToDouble(units + noise, exponent);
    }
}
