using Tessera.Privacy.Aggregates;

namespace Tessera.Privacy.Tests.Aggregates;

public sealed class DpAggregatesTests
{
    private static readonly double[] Column = Enumerable.Range(0, 1001).Select(i => i / 10.0).ToArray(); // 0 .. 100

    /// <summary>Noisy counts have the discrete Laplace mean and variance (scale 1 / epsilon).
    /// False-alarm rate: 2 z-checks, below 1.2e-6.</summary>
    [Fact]
    public void Count_ManyReleases_UnbiasedWithLaplaceVariance()
    {
        var random = new SeededRandomSource(31);
        const double epsilon = 0.5;
        var releases = Enumerable.Range(0, 20_000).Select(_ => (double)DpAggregates.Count(Column, epsilon, random: random).Value).ToList();
        var q = Math.Exp(-epsilon);
        var variance = 2 * q / ((1 - q) * (1 - q));
        StatisticalChecks.Mean(releases, Column.Length, variance, "count");
        var fourth = 0.0;
        var c = Math.Tanh(epsilon / 2);
        for (var x = -400; x <= 400; x++)
        {
            fourth += c * Math.Exp(-epsilon * Math.Abs(x)) * Math.Pow(x, 4);
        }

        StatisticalChecks.Variance(releases, Column.Length, variance, fourth, "count");
    }

    /// <summary>Gaussian counts (delta &gt; 0) have variance close to the analytic sigma^2. False-alarm rate 5.7e-7.</summary>
    [Fact]
    public void Count_WithDelta_GaussianVariance()
    {
        var random = new SeededRandomSource(32);
        var sigma = Tessera.Privacy.Mechanisms.GaussianCalibration.AnalyticSigma(1, 1e-6, 1);
        var releases = Enumerable.Range(0, 20_000).Select(_ => (double)DpAggregates.Count(Column, 1, 1e-6, random).Value).ToList();
        var s2 = sigma * sigma;
        StatisticalChecks.Variance(releases, Column.Length, s2, 3 * s2 * s2, "Gaussian count");
        Assert.Equal(new PrivacyParameters(1, 1e-6), DpAggregates.Count(Column, 1, 1e-6, random).Spent);
    }

    [Fact]
    public void Sum_LargeEpsilon_ClampedSum()
    {
        var random = new SeededRandomSource(33);
        double[] values = [-5, 1, 2, 50, double.PositiveInfinity, double.NaN];
        var release = DpAggregates.Sum(values, 0, 10, 1e6, random: random);
        Assert.Equal(0 + 1 + 2 + 10 + 10, release.Value, 1e-3);
        Assert.Equal(new PrivacyParameters(1e6, 0), release.Spent);
    }

    /// <summary>Noisy sums have the Laplace standard deviation for sensitivity max(|lower|, |upper|) = 100.
    /// False-alarm rate: 2 z-checks, below 1.2e-6 (variance check with the continuous Laplace fourth moment 24 b^4).</summary>
    [Fact]
    public void Sum_ManyReleases_LaplaceScaleOfBounds()
    {
        var random = new SeededRandomSource(34);
        var truth = Column.Sum();
        var releases = Enumerable.Range(0, 10_000).Select(_ => DpAggregates.Sum(Column, -20, 100, 1, random: random).Value).ToList();
        var b = 100.0;
        StatisticalChecks.Mean(releases, truth, 2 * b * b, "sum");
        StatisticalChecks.Variance(releases, truth, 2 * b * b, 24 * Math.Pow(b, 4), "sum");
    }

    [Fact]
    public void Mean_Release_NearTruthWithinBounds()
    {
        var random = new SeededRandomSource(35);
        var release = DpAggregates.Mean(Column, 0, 100, 2, random: random);
        Assert.InRange(release.Value, 48, 52);
        Assert.Equal(new PrivacyParameters(2, 0), release.Spent);
        var tiny = DpAggregates.Mean(Column, 0, 100, 1e-6, random: random);
        Assert.InRange(tiny.Value, 0, 100);
    }

    [Fact]
    public void Variance_Release_NearTruth()
    {
        var random = new SeededRandomSource(36);
        var mean = Column.Average();
        var truth = Column.Sum(x => (x - mean) * (x - mean)) / Column.Length; // about 834
        var release = DpAggregates.Variance(Column, 0, 100, 3, random: random);
        Assert.InRange(release.Value, truth - 60, truth + 60);
        Assert.Equal(new PrivacyParameters(3, 0), release.Spent);
    }

    [Fact]
    public void Histogram_Bins_NearTrueCounts()
    {
        var random = new SeededRandomSource(37);
        double[] edges = [0, 25, 50, 75, 100];
        double[] values = [.. Column, -3, 200]; // clamped into the end bins
        var release = DpAggregates.Histogram(values, edges, 2, random: random);
        long[] truth = [251, 250, 250, 252];
        for (var i = 0; i < 4; i++)
        {
            Assert.InRange(release.Value[i], truth[i] - 15, truth[i] + 15);
        }

        var categorical = DpAggregates.Histogram([0, 1, 1, 2, 2, 2, 7], 3, 1e6, random: random);
        Assert.Equal([1L, 2, 3], categorical.Value);
    }

    [Fact]
    public void Quantiles_Release_NearTrueQuantiles()
    {
        var random = new SeededRandomSource(38);
        var median = DpAggregates.Quantile(Column, 0.5, 0, 100, 1, random);
        Assert.InRange(median.Value, 45, 55);
        var several = DpAggregates.Quantiles(Column, [0.9, 0.1, 0.5], 0, 100, 3, random);
        Assert.InRange(several.Value[0], 85, 95);
        Assert.InRange(several.Value[1], 5, 15);
        Assert.InRange(several.Value[2], 45, 55);
        Assert.True(several.Value[1] <= several.Value[2] && several.Value[2] <= several.Value[0]);
        Assert.Equal(new PrivacyParameters(3, 0), several.Spent);
    }

    [Fact]
    public void Quantile_AllValuesEqual_FindsThem()
    {
        var random = new SeededRandomSource(39);
        var values = Enumerable.Repeat(30.0, 500).ToArray();
        Assert.InRange(DpAggregates.Quantile(values, 0.5, 0, 100, 1, random).Value, 28, 32);
    }

    [Fact]
    public void UserContributions_Bound_KeepsAtMostMaxPerUser()
    {
        var random = new SeededRandomSource(40);
        IReadOnlyList<double>[] users = [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [100], [5, 5]];
        var bounded = UserContributions.Bound(users, 2, random);
        Assert.Equal(5, bounded.Values.Length);
        Assert.Equal(3, bounded.UserCount);
        Assert.Contains(100, bounded.Values.ToArray());
        Assert.All(bounded.Values[..2].ToArray(), v => Assert.InRange(v, 1, 10));
        Assert.Equal(new PrivacyParameters(1, 0), DpAggregates.Sum(bounded, 0, 10, 1, random: random).Spent);
        Assert.InRange(DpAggregates.Count(bounded, 1e6, random: random).Value, 5, 5);
    }

    [Fact]
    public void Aggregates_Misuse_ThrowsNamingParameter()
    {
        Assert.Equal("lower", Assert.Throws<ArgumentException>(() => DpAggregates.Sum(Column, 5, 1, 1)).ParamName);
        Assert.Equal("lower", Assert.Throws<ArgumentOutOfRangeException>(() => DpAggregates.Mean(Column, double.NaN, 1, 1)).ParamName);
        Assert.Equal("upper", Assert.Throws<ArgumentOutOfRangeException>(() => DpAggregates.Variance(Column, 0, double.PositiveInfinity, 1)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => DpAggregates.Count(Column, 0)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => DpAggregates.Sum(Column, 0, 1, double.NaN)).ParamName);
        Assert.Equal("delta", Assert.Throws<ArgumentOutOfRangeException>(() => DpAggregates.Count(Column, 1, 1.0)).ParamName);
        Assert.Equal("binEdges", Assert.Throws<ArgumentException>(() => DpAggregates.Histogram(Column, [1.0, 1.0], 1)).ParamName);
        Assert.Equal("quantiles", Assert.Throws<ArgumentOutOfRangeException>(() => DpAggregates.Quantiles(Column, [1.5], 0, 1, 1)).ParamName);
        Assert.Equal("categoryCount", Assert.Throws<ArgumentOutOfRangeException>(() => DpAggregates.Histogram(ReadOnlySpan<int>.Empty, 0, 1)).ParamName);
        Assert.Equal("maxContributionsPerUser", Assert.Throws<ArgumentOutOfRangeException>(() => UserContributions.Bound([], 0)).ParamName);
    }
}
