using System.Numerics;
using Tessera.Privacy.Mechanisms;

namespace Tessera.Privacy.Aggregates;

/// <summary>
/// Exact sums of clamped values on a power-of-two grid and their noise. Each value is clamped, rounded to the grid and
/// summed as an integer, so the sum's sensitivity is an exact integer (no floating-point summation error can exceed it,
/// the flaw of Casacuberta et al. 2022), and the noise is exact integer noise in grid units.
/// </summary>
internal static class BoundedSums
{
    /// <summary>A noisy sum in grid units, scaled back to a double.</summary>
    /// <param name="values">The (already transformed) values; NaN is skipped.</param>
    /// <param name="lower">Lower clamp.</param>
    /// <param name="upper">Upper clamp.</param>
    /// <param name="maxContributions">The most values one user contributes.</param>
    /// <param name="epsilon">The privacy-loss bound.</param>
    /// <param name="delta">0 for Laplace noise, else Gaussian.</param>
    /// <param name="random">The random source.</param>
    public static double NoisySum(
        ReadOnlySpan<double> values, double lower, double upper, int maxContributions, double epsilon, double delta, IRandomSource random)
    {
        var magnitude = Math.Max(Math.Abs(lower), Math.Abs(upper));
        var exponent = magnitude > 0 ? Grid.ExponentFor(magnitude) : 0;
        var lowerUnits = Grid.Round(lower, exponent, nameof(lower));
        var upperUnits = Grid.Round(upper, exponent, nameof(upper));
        long sum = 0;
        foreach (var v in values)
        {
            if (double.IsNaN(v))
            {
                continue;
            }

            // |units| <= 2^21 for each value, so a long holds the sum of up to 2^42 values exactly.
            sum += (long)Grid.Round(Math.Clamp(v, lower, upper), exponent, nameof(values));
        }

        var sensitivity = BigInteger.Max(BigInteger.Abs(lowerUnits), BigInteger.Abs(upperUnits)) * maxContributions;
        return Grid.ToDouble(sum + Noise(BigInteger.Max(sensitivity, BigInteger.One), epsilon, delta, random), exponent);
    }

    /// <summary>A noisy integer count with the given sensitivity.</summary>
    public static long NoisyCount(long count, int sensitivity, double epsilon, double delta, IRandomSource random) =>
        (long)(count + Noise(sensitivity, epsilon, delta, random));

    /// <summary>
    /// Integer noise for an integer sensitivity: discrete Laplace with scale sensitivity / epsilon when delta is 0,
    /// otherwise a discrete Gaussian with the analytic sigma for (epsilon, delta).
    /// </summary>
    public static BigInteger Noise(BigInteger sensitivity, double epsilon, double delta, IRandomSource random) =>
        delta == 0
            ? Grid.LaplaceNoise(random, sensitivity, epsilon)
            : Grid.GaussianNoise(random, GaussianCalibration.AnalyticSigma(epsilon, delta, (double)sensitivity));
}
