namespace Tessera.Privacy.Mechanisms;

/// <summary>
/// The complementary error function and the standard normal CDF to about 1e-15 relative accuracy, for calibrating the
/// Gaussian mechanism (Tessera.Core's Erf is accurate only to 1.2e-7, too coarse for small deltas).
/// </summary>
internal static class NormalDistribution
{
    private const double TwoOverSqrtPi = 1.1283791670955125739;
    private const double OneOverSqrtPi = 0.56418958354775628695;

    /// <summary>erfc(x) = 1 - erf(x).</summary>
    /// <remarks>
    /// For |x| &lt; 1: erf from the series 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (1 3 5 ... (2n+1)), whose terms are all
    /// positive (no cancellation), then erfc = 1 - erf (at least 0.157, so no relative loss). For x &gt;= 1: the continued
    /// fraction erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) by the modified Lentz method.
    /// For x &lt;= -1: 2 - erfc(-x).
    /// </remarks>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (Math.Abs(x) < 1)
        {
            return 1 - ErfSeries(x);
        }

        return x > 0 ? ErfcContinuedFraction(x) : 2 - ErfcContinuedFraction(-x);
    }

    /// <summary>The standard normal CDF, Phi(x) = erfc(-x / sqrt 2) / 2.</summary>
    public static double Cdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    private static double ErfSeries(double x)
    {
        var x2 = x * x;
        var term = x;
        var sum = x;
        for (var n = 1; n < 100; n++)
        {
            term *= 2 * x2 / ((2 * n) + 1);
            sum += term;
            if (Math.Abs(term) < Math.Abs(sum) * 1e-17)
            {
                break;
            }
        }

        return TwoOverSqrtPi * Math.Exp(-x2) * sum;
    }

    private static double ErfcContinuedFraction(double x)
    {
        if (x > 27.3)
        {
            return 0; // exp(-x^2) underflows.
        }

        // f = x + a1/(x + a2/(x + ...)), a_k = k/2; modified Lentz.
        const double tiny = 1e-300;
        var f = x;
        var c = x;
        var d = 0.0;
        for (var k = 1; k < 5000; k++)
        {
            var a = k * 0.5;
            d = x + (a * d);
            d = d == 0 ? tiny : d;
            c = x + (a / c);
            c = c == 0 ? tiny : c;
            d = 1 / d;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        // exp(-x^2) with the rounding error of x^2 folded back in (it would otherwise cost up to x^2 ulps).
        var x2 = x * x;
        var x2Error = Math.FusedMultiplyAdd(x, x, -x2);
        return OneOverSqrtPi * Math.Exp(-x2) * (1 - x2Error) / f;
    }
}
