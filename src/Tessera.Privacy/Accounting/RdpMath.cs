using Tessera.Privacy.Mechanisms;

namespace Tessera.Privacy.Accounting;

/// <summary>
/// Rényi DP of the Poisson-subsampled Gaussian mechanism (Mironov, Talwar, Zhang 2019, "Rényi Differential Privacy of the
/// Sampled Gaussian Mechanism"), computed in log space: the exact binomial expansion at integer orders and the two
/// converging series at fractional orders (Section 3.3 of that paper), and the conversion of RDP to (epsilon, delta) by
/// Proposition 12 of Canonne, Kamath, Steinke 2020 (also Balle et al. 2020, Theorem 21).
/// </summary>
internal static class RdpMath
{
    /// <summary>RDP at <paramref name="order"/> of one step with sampling rate <paramref name="q"/> and noise multiplier <paramref name="sigma"/>.</summary>
    public static double SubsampledGaussian(double q, double sigma, double order)
    {
        if (q == 0)
        {
            return 0;
        }

        if (sigma == 0 || double.IsPositiveInfinity(order))
        {
            return double.PositiveInfinity;
        }

        if (q == 1)
        {
            return order / (2 * sigma * sigma);
        }

        var logA = order == Math.Floor(order) ? LogAInteger(q, sigma, (long)order) : LogAFractional(q, sigma, order);
        return logA / (order - 1);
    }

    /// <summary>log A_alpha for integer alpha: log sum_k C(alpha, k) (1-q)^(alpha-k) q^k exp((k^2 - k) / (2 sigma^2)).</summary>
    internal static double LogAInteger(double q, double sigma, long alpha)
    {
        var logA = double.NegativeInfinity;
        var logBinomial = 0.0; // log C(alpha, k), built up term by term
        var (logQ, log1mQ) = (Math.Log(q), Log1P(-q));
        for (long k = 0; k <= alpha; k++)
        {
            var term = logBinomial + (k * logQ) + ((alpha - k) * log1mQ) + (((double)k * k) - k) / (2 * sigma * sigma);
            logA = LogAdd(logA, term);
            logBinomial += Math.Log(alpha - k) - Math.Log(k + 1);
        }

        return logA;
    }

    /// <summary>log A_alpha for fractional alpha: two alternating-sign series split at z0, summed until their terms are below e^-30.</summary>
    internal static double LogAFractional(double q, double sigma, double alpha)
    {
        double logA0 = double.NegativeInfinity, logA1 = double.NegativeInfinity;
        var z0 = (sigma * sigma * Math.Log((1 / q) - 1)) + 0.5;
        var (logQ, log1mQ) = (Math.Log(q), Log1P(-q));
        var logCoefficient = 0.0; // log |C(alpha, i)| (generalised binomial)
        var positive = true;
        for (var i = 0; i < 100_000; i++)
        {
            var j = alpha - i;
            var logT0 = logCoefficient + (i * logQ) + (j * log1mQ);
            var logT1 = logCoefficient + (j * logQ) + (i * log1mQ);
            var logE0 = Math.Log(0.5) + LogErfc((i - z0) / (Math.Sqrt(2) * sigma));
            var logE1 = Math.Log(0.5) + LogErfc((z0 - j) / (Math.Sqrt(2) * sigma));
            var logS0 = logT0 + ((((double)i * i) - i) / (2 * sigma * sigma)) + logE0;
            var logS1 = logT1 + (((j * j) - j) / (2 * sigma * sigma)) + logE1;
            if (positive)
            {
                logA0 = LogAdd(logA0, logS0);
                logA1 = LogAdd(logA1, logS1);
            }
            else
            {
                logA0 = LogSub(logA0, logS0);
                logA1 = LogSub(logA1, logS1);
            }

            if (Math.Max(logS0, logS1) < -30)
            {
                return LogAdd(logA0, logA1);
            }

            // C(alpha, i + 1) = C(alpha, i) (alpha - i) / (i + 1); the sign flips when alpha - i < 0.
            logCoefficient += Math.Log(Math.Abs(alpha - i)) - Math.Log(i + 1);
            positive = alpha - i < 0 ? !positive : positive;
        }

        throw new ArithmeticException($"The RDP series at order {alpha} (q = {q}, sigma = {sigma}) did not converge.");
    }

    /// <summary>
    /// The smallest epsilon over the orders such that the RDP curve implies (epsilon, <paramref name="delta"/>)-DP, and the
    /// order achieving it (Canonne, Kamath, Steinke 2020, Proposition 12).
    /// </summary>
    public static (double Epsilon, double Order) Epsilon(IReadOnlyList<double> orders, IReadOnlyList<double> rdp, double delta)
    {
        var best = (Epsilon: double.PositiveInfinity, Order: orders[0]);
        for (var i = 0; i < orders.Count; i++)
        {
            var (a, r) = (orders[i], rdp[i]);
            double epsilon;
            if ((delta * delta) + ExpM1(-r) > 0)
            {
                epsilon = 0; // delta <= sqrt(1 - exp(-KL)) already: no epsilon needed
            }
            else if (a > 1.01 && double.IsFinite(r))
            {
                epsilon = r + Log1P(-1 / a) - (Math.Log(delta * a) / (a - 1));
            }
            else
            {
                epsilon = double.PositiveInfinity;
            }

            if (epsilon < best.Epsilon)
            {
                best = (epsilon, a);
            }
        }

        return (Math.Max(0, best.Epsilon), best.Order);
    }

    /// <summary>log(1 + x), accurate for tiny x (Goldberg's correction; .NET's double.LogP1 is log(1 + x) as written).</summary>
    public static double Log1P(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>e^x - 1, accurate for tiny x (Kahan's correction).</summary>
    public static double ExpM1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1)
        {
            return x;
        }

        var um1 = u - 1;
        return um1 == -1 ? -1 : double.IsPositiveInfinity(u) ? u : um1 * x / Math.Log(u);
    }

    /// <summary>log(e^a + e^b) without overflow.</summary>
    public static double LogAdd(double a, double b)
    {
        var (hi, lo) = a >= b ? (a, b) : (b, a);
        return double.IsNegativeInfinity(lo) ? hi : hi + Log1P(Math.Exp(lo - hi));
    }

    /// <summary>log(e^a - e^b) for a &gt;= b.</summary>
    public static double LogSub(double a, double b)
    {
        if (b > a)
        {
            throw new ArithmeticException("The RDP series went negative: log-subtraction of a larger term.");
        }

        return double.IsNegativeInfinity(b) ? a : a == b ? double.NegativeInfinity : a + Math.Log(-ExpM1(b - a));
    }

    /// <summary>log erfc(x), with the asymptotic expansion where erfc underflows.</summary>
    public static double LogErfc(double x)
    {
        var r = NormalDistribution.Erfc(x);
        if (r > 0)
        {
            return Math.Log(r);
        }

        var x2 = x * x;
        return (-Math.Log(Math.PI) / 2) - Math.Log(x) - x2 - (0.5 / x2) + (0.625 / (x2 * x2)) - (37.0 / 24.0 / (x2 * x2 * x2)) + (353.0 / 64.0 / (x2 * x2 * x2 * x2));
    }
}
