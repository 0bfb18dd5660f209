namespace Tessera.Privacy.Mechanisms;

/// <summary>
/// Calibration of the Gaussian mechanism's sigma from (epsilon, delta) and the L2 sensitivity: the analytic Gaussian
/// mechanism of Balle and Wang, "Improving the Gaussian Mechanism for Differential Privacy" (ICML 2018), Algorithm 1,
/// and the classical bound for comparison.
/// </summary>
public static class GaussianCalibration
{
    /// <summary>
    /// The smallest sigma for which Gaussian noise N(0, sigma^2) on a query of L2 sensitivity
    /// <paramref name="l2Sensitivity"/> is (<paramref name="epsilon"/>, <paramref name="delta"/>)-differentially private
    /// (Balle and Wang 2018, Algorithm 1; exact, valid for every epsilon &gt; 0).
    /// </summary>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="delta">The failure probability; in (0, 1).</param>
    /// <param name="l2Sensitivity">The query's L2 sensitivity; positive and finite.</param>
    /// <returns>Sigma, accurate to about 1e-12 relative (the bisection runs to the last bit; erfc is good to ~1e-15).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <remarks>
    /// With Phi the standard normal CDF and delta_0 = Phi(0) - e^epsilon Phi(-sqrt(2 epsilon)): if delta &gt;= delta_0,
    /// find v* = sup { v &gt;= 0 : Phi(sqrt(epsilon v)) - e^epsilon Phi(-sqrt(epsilon (v + 2))) &lt;= delta } and take
    /// alpha = sqrt(1 + v*/2) - sqrt(v*/2); otherwise find u* = inf { u &gt;= 0 : Phi(-sqrt(epsilon u)) -
    /// e^epsilon Phi(-sqrt(epsilon (u + 2))) &lt;= delta } and take alpha = sqrt(1 + u*/2) + sqrt(u*/2). Then
    /// sigma = alpha * sensitivity / sqrt(2 epsilon). Both searches are bisections on monotone functions.
    /// </remarks>
    public static double AnalyticSigma(double epsilon, double delta, double l2Sensitivity)
    {
        Check(epsilon, delta, l2Sensitivity);
        var expEpsilon = Math.Exp(epsilon);
        var delta0 = 0.5 - (expEpsilon * NormalDistribution.Cdf(-Math.Sqrt(2 * epsilon)));
        double alpha;
        if (delta >= delta0)
        {
            // B+(v) increases in v; find the largest v with B+(v) <= delta.
            double BPlus(double v) => NormalDistribution.Cdf(Math.Sqrt(epsilon * v)) - (expEpsilon * NormalDistribution.Cdf(-Math.Sqrt(epsilon * (v + 2))));
            var v = Bisect(BPlus, delta, increasing: true);
            alpha = Math.Sqrt(1 + (v / 2)) - Math.Sqrt(v / 2);
        }
        else
        {
            // B-(u) decreases in u; find the smallest u with B-(u) <= delta.
            double BMinus(double u) => NormalDistribution.Cdf(-Math.Sqrt(epsilon * u)) - (expEpsilon * NormalDistribution.Cdf(-Math.Sqrt(epsilon * (u + 2))));
            var u = Bisect(BMinus, delta, increasing: false);
            alpha = Math.Sqrt(1 + (u / 2)) + Math.Sqrt(u / 2);
        }

        return alpha * l2Sensitivity / Math.Sqrt(2 * epsilon);
    }

    /// <summary>
    /// The classical calibration sigma = sqrt(2 ln(1.25 / delta)) * sensitivity / epsilon (Dwork and Roth 2014,
    /// Theorem A.1), which guarantees (epsilon, delta)-DP only for epsilon &lt; 1 and is never smaller than the analytic one.
    /// </summary>
    /// <param name="epsilon">The privacy-loss bound; in (0, 1).</param>
    /// <param name="delta">The failure probability; in (0, 1).</param>
    /// <param name="l2Sensitivity">The query's L2 sensitivity; positive and finite.</param>
    /// <returns>Sigma.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range, or epsilon &gt;= 1.</exception>
    public static double ClassicalSigma(double epsilon, double delta, double l2Sensitivity)
    {
        Check(epsilon, delta, l2Sensitivity);
        if (epsilon >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "The classical Gaussian bound holds only for epsilon < 1; use AnalyticSigma.");
        }

        return Math.Sqrt(2 * Math.Log(1.25 / delta)) * l2Sensitivity / epsilon;
    }

    /// <summary>
    /// The exact delta of the Gaussian mechanism at <paramref name="epsilon"/> (Balle and Wang 2018, Theorem 8):
    /// Phi(s / (2 sigma) - epsilon sigma / s) - e^epsilon Phi(-s / (2 sigma) - epsilon sigma / s), s the L2 sensitivity.
    /// </summary>
    /// <param name="epsilon">The privacy-loss bound; non-negative and finite.</param>
    /// <param name="sigma">The noise standard deviation; positive and finite.</param>
    /// <param name="l2Sensitivity">The query's L2 sensitivity; positive and finite.</param>
    /// <returns>The smallest delta for which the mechanism is (epsilon, delta)-DP.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static double Delta(double epsilon, double sigma, double l2Sensitivity)
    {
        if (!double.IsFinite(epsilon) || epsilon < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be finite and non-negative.");
        }

        CheckPositiveFinite(sigma, nameof(sigma));
        CheckPositiveFinite(l2Sensitivity, nameof(l2Sensitivity));
        var a = l2Sensitivity / (2 * sigma);
        var b = epsilon * sigma / l2Sensitivity;
        return Math.Max(0, NormalDistribution.Cdf(a - b) - (Math.Exp(epsilon) * NormalDistribution.Cdf(-a - b)));
    }

    private static double Bisect(Func<double, double> f, double target, bool increasing)
    {
        // Bracket: lo satisfies the condition f <= target, hi does not (for increasing f), or the reverse.
        double lo = 0, hi = 1;
        while (increasing ? f(hi) <= target : f(hi) > target)
        {
            lo = hi;
            hi *= 2;
            if (hi > 1e300)
            {
                throw new ArgumentOutOfRangeException(nameof(target), target, "Delta is too small to calibrate in double precision.");
            }
        }

        for (var i = 0; i < 2000; i++)
        {
            var mid = lo + ((hi - lo) / 2);
            if (mid <= lo || mid >= hi)
            {
                break;
            }

            if (increasing ? f(mid) <= target : f(mid) > target)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        // Increasing: lo is the largest v with B+(v) <= delta. Decreasing: hi is the smallest u with B-(u) <= delta.
        return increasing ? lo : hi;
    }

    private static void Check(double epsilon, double delta, double l2Sensitivity)
    {
        CheckPositiveFinite(epsilon, nameof(epsilon));
        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Delta must lie in (0, 1).");
        }

        CheckPositiveFinite(l2Sensitivity, nameof(l2Sensitivity));
    }

    internal static void CheckPositiveFinite(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "The value must be positive and finite.");
        }
    }
}
