namespace Tessera.Privacy.Tests;

/// <summary>
/// Statistical checks at a fixed threshold of 5 standard deviations: a two-sided z-check has a false-alarm rate of
/// 5.7e-7, a one-sided one (chi-square through the Wilson-Hilferty transform, Kolmogorov-Smirnov) of 2.9e-7.
/// </summary>
internal static class StatisticalChecks
{
    public const double Z = 5.0;

    /// <summary>The sample mean is within 5 standard errors of the true mean (two-sided, 5.7e-7).</summary>
    public static void Mean(IReadOnlyList<double> samples, double mean, double variance, string what)
    {
        var n = samples.Count;
        var sampleMean = samples.Average();
        var z = (sampleMean - mean) / Math.Sqrt(variance / n);
        Assert.True(Math.Abs(z) < Z, $"{what}: mean {sampleMean} vs {mean}, z = {z:F2}");
    }

    /// <summary>The sample variance is within 5 standard errors of the true variance, using the true fourth central moment.</summary>
    public static void Variance(IReadOnlyList<double> samples, double mean, double variance, double fourthMoment, string what)
    {
        var n = samples.Count;
        var sampleVariance = samples.Sum(x => (x - mean) * (x - mean)) / n;
        var z = (sampleVariance - variance) / Math.Sqrt((fourthMoment - (variance * variance)) / n);
        Assert.True(Math.Abs(z) < Z, $"{what}: variance {sampleVariance} vs {variance}, z = {z:F2}");
    }

    /// <summary>A frequency is within 5 binomial standard errors of its probability (two-sided, 5.7e-7).</summary>
    public static void Frequency(long hits, long n, double p, string what)
    {
        var z = (hits - (n * p)) / Math.Sqrt(n * p * (1 - p));
        Assert.True(Math.Abs(z) < Z, $"{what}: {hits}/{n} vs p = {p}, z = {z:F2}");
    }

    /// <summary>
    /// Chi-square goodness of fit of integer samples to a pmf over [min, max], with the two tails lumped into end cells;
    /// the statistic is mapped to a normal deviate by Wilson-Hilferty and must stay below 5 (one-sided, 2.9e-7).
    /// </summary>
    public static void ChiSquare(IReadOnlyList<long> samples, Func<long, double> pmf, long min, long max, string what)
    {
        var cells = (int)(max - min + 3);
        var observed = new double[cells];
        foreach (var s in samples)
        {
            observed[s < min ? 0 : s > max ? cells - 1 : (int)(s - min + 1)]++;
        }

        var expected = new double[cells];
        var inside = 0.0;
        for (var x = min; x <= max; x++)
        {
            expected[x - min + 1] = pmf(x);
            inside += pmf(x);
        }

        var below = 0.0;
        for (var x = min - 1; x > min - 100_000 && pmf(x) > 0; x--)
        {
            below += pmf(x);
        }

        expected[0] = below;
        expected[cells - 1] = Math.Max(0, 1 - inside - below);
        double chi = 0;
        var dof = -1;
        for (var i = 0; i < cells; i++)
        {
            var e = expected[i] * samples.Count;
            if (e < 1e-9)
            {
                Assert.True(observed[i] == 0, $"{what}: {observed[i]} samples in cell {i} of probability ~0");
                continue;
            }

            chi += (observed[i] - e) * (observed[i] - e) / e;
            dof++;
        }

        var k = (double)dof;
        var z = (Math.Cbrt(chi / k) - (1 - (2 / (9 * k)))) / Math.Sqrt(2 / (9 * k));
        Assert.True(z < Z, $"{what}: chi-square {chi:F1} on {dof} degrees of freedom, z = {z:F2}");
    }

    /// <summary>Kolmogorov-Smirnov distance below the asymptotic critical value for alpha = 2.9e-7.</summary>
    public static void KolmogorovSmirnov(IReadOnlyList<double> samples, Func<double, double> cdf, string what)
    {
        var sorted = samples.Order().ToArray();
        var n = sorted.Length;
        double d = 0;
        for (var i = 0; i < n; i++)
        {
            var f = cdf(sorted[i]);
            d = Math.Max(d, Math.Max(((i + 1.0) / n) - f, f - ((double)i / n)));
        }

        var critical = Math.Sqrt(-Math.Log(2.9e-7 / 2) / (2.0 * n));
        Assert.True(d < critical, $"{what}: KS distance {d:F5} exceeds {critical:F5}");
    }
}
