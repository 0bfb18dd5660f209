namespace Tessera.Privacy.Accounting;

/// <summary>
/// Zero-concentrated DP (Bun, Steinke 2016): rho adds up under composition; the Gaussian mechanism with sensitivity s and
/// standard deviation sigma is s^2 / (2 sigma^2)-zCDP, and epsilon-DP implies epsilon^2 / 2-zCDP. Conversion to
/// (epsilon, delta) is the tight one (Canonne, Kamath, Steinke 2020, Proposition 12, applied to RDP rho * alpha and
/// minimised over every real alpha &gt; 1), or the classical rho + 2 sqrt(rho ln(1/delta)).
/// </summary>
public sealed class ZcdpAccountant
{
    /// <summary>The accumulated rho.</summary>
    public double Rho { get; private set; }

    /// <summary>Adds a Gaussian mechanism's rho.</summary>
    /// <param name="sigma">The noise's standard deviation; positive.</param>
    /// <param name="sensitivity">The L2 sensitivity; positive.</param>
    public void AddGaussian(double sigma, double sensitivity = 1)
    {
        if (!(sigma > 0) || !double.IsFinite(sigma))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Sigma must be positive and finite.");
        }

        if (!(sensitivity > 0) || !double.IsFinite(sensitivity))
        {
            throw new ArgumentOutOfRangeException(nameof(sensitivity), sensitivity, "The sensitivity must be positive and finite.");
        }

        Rho += sensitivity * sensitivity / (2 * sigma * sigma);
    }

    /// <summary>Adds a pure epsilon-DP mechanism (epsilon^2 / 2).</summary>
    /// <param name="epsilon">Its epsilon; non-negative.</param>
    public void AddPureDp(double epsilon)
    {
        if (!(epsilon >= 0) || !double.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be finite and non-negative.");
        }

        Rho += epsilon * epsilon / 2;
    }

    /// <summary>The tight epsilon at <paramref name="delta"/>.</summary>
    /// <param name="delta">In (0, 1).</param>
    /// <returns>The epsilon.</returns>
    public double GetEpsilon(double delta) => EpsilonOf(Rho, delta);

    /// <summary>The classical conversion, rho + 2 sqrt(rho ln(1/delta)): never smaller than <see cref="GetEpsilon"/>.</summary>
    /// <param name="delta">In (0, 1).</param>
    /// <returns>The epsilon.</returns>
    public double GetEpsilonClassical(double delta)
    {
        CheckDelta(delta);
        return Rho + (2 * Math.Sqrt(Rho * Math.Log(1 / delta)));
    }

    /// <summary>The tight epsilon of rho-zCDP at <paramref name="delta"/>.</summary>
    /// <param name="rho">The rho; non-negative.</param>
    /// <param name="delta">In (0, 1).</param>
    /// <returns>The epsilon.</returns>
    public static double EpsilonOf(double rho, double delta)
    {
        CheckDelta(delta);
        if (rho == 0)
        {
            return 0;
        }

        // f(alpha) = rho alpha + log(1 - 1/alpha) - log(delta alpha) / (alpha - 1) is unimodal on (1, inf): golden section
        // on log(alpha - 1), bracketed around the classical optimum 1 + sqrt(log(1/delta) / rho).
        double F(double t)
        {
            var alpha = 1 + Math.Exp(t);
            return (rho * alpha) + RdpMath.Log1P(-1 / alpha) - (Math.Log(delta * alpha) / (alpha - 1));
        }

        var center = Math.Log(Math.Sqrt(Math.Log(1 / delta) / rho));
        double lo = center - 20, hi = center + 20;
        var phi = (Math.Sqrt(5) - 1) / 2;
        double a = hi - (phi * (hi - lo)), b = lo + (phi * (hi - lo));
        double fa = F(a), fb = F(b);
        for (var i = 0; i < 200 && hi - lo > 1e-13; i++)
        {
            if (fa < fb)
            {
                (hi, b, fb) = (b, a, fa);
                a = hi - (phi * (hi - lo));
                fa = F(a);
            }
            else
            {
                (lo, a, fa) = (a, b, fb);
                b = lo + (phi * (hi - lo));
                fb = F(b);
            }
        }

        return Math.Max(0, Math.Min(fa, fb));
    }

    /// <summary>The Gaussian sigma (sensitivity 1) whose rho gives exactly <paramref name="targetEpsilon"/> at <paramref name="delta"/> (tight conversion).</summary>
    /// <param name="targetEpsilon">Positive.</param>
    /// <param name="delta">In (0, 1).</param>
    /// <returns>The sigma.</returns>
    public static double GaussianSigmaFor(double targetEpsilon, double delta)
    {
        if (!(targetEpsilon > 0) || !double.IsFinite(targetEpsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(targetEpsilon), targetEpsilon, "The target epsilon must be positive and finite.");
        }

        double lo = 0, hi = 1e6; // rho = 1 / (2 sigma^2): bisect on rho, epsilon grows with it
        for (var i = 0; i < 200 && hi - lo > 1e-15 * hi; i++)
        {
            var mid = (lo + hi) / 2;
            if (EpsilonOf(mid, delta) > targetEpsilon)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return 1 / Math.Sqrt(2 * lo);
    }

    private static void CheckDelta(double delta)
    {
        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Delta must lie in (0, 1).");
        }
    }
}
