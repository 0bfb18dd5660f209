using System.Numerics;

namespace Tessera.Privacy.Mechanisms;

/// <summary>
/// The power-of-two grid on which real-valued mechanisms add exact integer noise (see docs/privacy.md): a value is
/// rounded to the nearest multiple of g = 2^exponent, integer noise is added in units of g, and the integer result is
/// scaled back. The output set is g times the integers whatever the input, so floating point cannot reveal the input
/// (the attack of Mironov 2012 on textbook Laplace sampling).
/// </summary>
internal static class Grid
{
    /// <summary>How many bits finer than the sensitivity the grid is: g &lt;= sensitivity / 2^20.</summary>
    public const int ResolutionBits = 20;

    /// <summary>The grid exponent for a sensitivity: g = 2^(floor(log2 sensitivity) - 20).</summary>
    public static int ExponentFor(double sensitivity) => Math.ILogB(sensitivity) - ResolutionBits;

    /// <summary>The value in grid units, rounded to the nearest integer (ties to even).</summary>
    public static BigInteger Round(double value, int exponent, string parameterName)
    {
        var scaled = Math.ScaleB(value, -exponent);
        if (!double.IsFinite(scaled))
        {
            throw new ArgumentOutOfRangeException(parameterName, value, "The value is not finite or too large for the noise grid.");
        }

        return new BigInteger(Math.Round(scaled, MidpointRounding.ToEven));
    }

    /// <summary>An integer number of grid units as a double (post-processing of an integer, so safe).</summary>
    public static double ToDouble(BigInteger units, int exponent) => Math.ScaleB((double)units, exponent);

    /// <summary>
    /// The sensitivity after rounding, in grid units: ceil(sensitivity / g) + 1, because rounding moves each of two
    /// neighbouring values by at most g / 2.
    /// </summary>
    public static BigInteger RoundedSensitivity(double sensitivity, int exponent) =>
        new BigInteger(Math.Ceiling(Math.ScaleB(sensitivity, -exponent))) + 1;

    /// <summary>Exact discrete Laplace noise for an integer sensitivity: scale sensitivity / epsilon, in grid units.</summary>
    public static BigInteger LaplaceNoise(IRandomSource random, BigInteger sensitivityUnits, double epsilon)
    {
        var e = Rational.FromDouble(epsilon);
        return ExactSamplers.DiscreteLaplaceUnchecked(random, sensitivityUnits * e.Denominator, e.Numerator);
    }

    /// <summary>Exact discrete Gaussian noise with parameter sigma (given in grid units).</summary>
    public static BigInteger GaussianNoise(IRandomSource random, double sigmaUnits)
    {
        var s = Rational.FromDouble(sigmaUnits);
        return ExactSamplers.DiscreteGaussianUnchecked(random, s.Numerator * s.Numerator, s.Denominator * s.Denominator);
    }
}
