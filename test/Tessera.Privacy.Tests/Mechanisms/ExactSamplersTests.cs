using System.Numerics;
using Tessera.Privacy.Mechanisms;

namespace Tessera.Privacy.Tests.Mechanisms;

public sealed class ExactSamplersTests
{
    /// <summary>Bernoulli(exp(-gamma)) frequencies for gamma below, at and above 1. False-alarm rate: 4 z-checks, below 2.3e-6.</summary>
    [Theory]
    [InlineData(1, 3)]
    [InlineData(1, 1)]
    [InlineData(5, 2)]
    [InlineData(7, 1)]
    public void BernoulliExp_ManyDraws_FrequencyIsExpMinusGamma(int numerator, int denominator)
    {
        var random = new SeededRandomSource(11);
        const int n = 100_000;
        var hits = 0L;
        for (var i = 0; i < n; i++)
        {
            hits += ExactSamplers.BernoulliExp(random, numerator, denominator) ? 1 : 0;
        }

        StatisticalChecks.Frequency(hits, n, Math.Exp(-(double)numerator / denominator), $"exp(-{numerator}/{denominator})");
    }

    [Fact]
    public void BernoulliExp_GammaZero_AlwaysTrue()
    {
        var random = new SeededRandomSource(1);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(ExactSamplers.BernoulliExp(random, 0, 5));
        }
    }

    /// <summary>Bernoulli(3/7) frequency. False-alarm rate 5.7e-7.</summary>
    [Fact]
    public void Bernoulli_ThreeSevenths_FrequencyMatches()
    {
        var random = new SeededRandomSource(12);
        const int n = 100_000;
        var hits = 0L;
        for (var i = 0; i < n; i++)
        {
            hits += ExactSamplers.Bernoulli(random, 3, 7) ? 1 : 0;
        }

        StatisticalChecks.Frequency(hits, n, 3.0 / 7, "Bernoulli(3/7)");
    }

    /// <summary>Uniform integers below 10 (chi-square) and below 3 * 2^64 + 1 (mean, and the top third's share).
    /// False-alarm rate: 3 checks, below 1.5e-6.</summary>
    [Fact]
    public void UniformInteger_SmallAndBigBounds_Uniform()
    {
        var random = new SeededRandomSource(13);
        var small = Enumerable.Range(0, 50_000).Select(_ => (long)ExactSamplers.UniformInteger(random, 10)).ToList();
        StatisticalChecks.ChiSquare(small, x => x is >= 0 and < 10 ? 0.1 : 0, 0, 9, "uniform below 10");

        var bound = (BigInteger.One << 64) * 3 + 1;
        var big = new List<double>();
        var top = 0L;
        for (var i = 0; i < 20_000; i++)
        {
            var u = ExactSamplers.UniformInteger(random, bound);
            Assert.True(u.Sign >= 0 && u < bound);
            big.Add((double)u / (double)bound);
            top += u >= (BigInteger.One << 64) * 2 ? 1 : 0;
        }

        StatisticalChecks.Mean(big, 0.5, 1.0 / 12, "uniform below 3 * 2^64 + 1");
        StatisticalChecks.Frequency(top, big.Count, 1.0 / 3, "top third");
    }

    /// <summary>
    /// Discrete Laplace with scales 3/2 and 10: chi-square against the exact pmf, mean, variance and the tail
    /// P[|X| &gt;= 4b]. False-alarm rate: 4 checks per case, below 2.1e-6 per case.
    /// </summary>
    [Theory]
    [InlineData(3, 2)]
    [InlineData(10, 1)]
    public void DiscreteLaplace_ManyDraws_MatchesPmf(int t, int s)
    {
        var random = new SeededRandomSource(14);
        var scale = (double)t / s;
        var samples = Enumerable.Range(0, 100_000).Select(_ => (long)ExactSamplers.DiscreteLaplace(random, t, s)).ToList();
        var c = Math.Tanh(1 / (2 * scale));
        double Pmf(long x) => c * Math.Exp(-Math.Abs(x) / scale);
        CheckAll(samples, Pmf, (long)Math.Ceiling(5 * scale), $"discrete Laplace({t}/{s})");
    }

    /// <summary>
    /// Discrete Gaussian with sigma^2 = 1/2, 2 and 25/4 (the proposal scale changes with floor(sigma)): chi-square
    /// against the exact pmf, mean, variance and tail. False-alarm rate: 4 checks per case, below 2.1e-6 per case.
    /// </summary>
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 1)]
    [InlineData(25, 4)]
    public void DiscreteGaussian_ManyDraws_MatchesPmf(int n, int d)
    {
        var random = new SeededRandomSource(15);
        var sigma2 = (double)n / d;
        var samples = Enumerable.Range(0, 100_000).Select(_ => (long)ExactSamplers.DiscreteGaussian(random, n, d)).ToList();
        var norm = 0.0;
        for (var x = -2000; x <= 2000; x++)
        {
            norm += Math.Exp(-(double)x * x / (2 * sigma2));
        }

        double Pmf(long x) => Math.Exp(-(double)x * x / (2 * sigma2)) / norm;
        CheckAll(samples, Pmf, (long)Math.Ceiling(4 * Math.Sqrt(sigma2)), $"discrete Gaussian({n}/{d})");
    }

    /// <summary>A large discrete Gaussian (sigma = 1000, as on the mechanisms' fine grid): mean and variance.
    /// False-alarm rate: 2 checks, below 1.2e-6.</summary>
    [Fact]
    public void DiscreteGaussian_LargeSigma_MeanAndVariance()
    {
        var random = new SeededRandomSource(16);
        var samples = Enumerable.Range(0, 40_000).Select(_ => (double)ExactSamplers.DiscreteGaussian(random, 1_000_000, 1)).ToList();
        StatisticalChecks.Mean(samples, 0, 1e6, "discrete Gaussian sigma 1000");
        StatisticalChecks.Variance(samples, 0, 1e6, 3e12, "discrete Gaussian sigma 1000");
    }

    [Fact]
    public void Samplers_BadArguments_ThrowNamingParameter()
    {
        var random = new SeededRandomSource(1);
        Assert.Equal("numerator", Assert.Throws<ArgumentOutOfRangeException>(() => ExactSamplers.BernoulliExp(random, -1, 2)).ParamName);
        Assert.Equal("denominator", Assert.Throws<ArgumentOutOfRangeException>(() => ExactSamplers.BernoulliExp(random, 1, 0)).ParamName);
        Assert.Equal("numerator", Assert.Throws<ArgumentOutOfRangeException>(() => ExactSamplers.Bernoulli(random, 3, 2)).ParamName);
        Assert.Equal("scaleNumerator", Assert.Throws<ArgumentOutOfRangeException>(() => ExactSamplers.DiscreteLaplace(random, 0, 1)).ParamName);
        Assert.Equal("scaleDenominator", Assert.Throws<ArgumentOutOfRangeException>(() => ExactSamplers.DiscreteLaplace(random, 1, -1)).ParamName);
        Assert.Equal("varianceNumerator", Assert.Throws<ArgumentOutOfRangeException>(() => ExactSamplers.DiscreteGaussian(random, 0, 1)).ParamName);
        Assert.Equal("exclusiveUpper", Assert.Throws<ArgumentOutOfRangeException>(() => ExactSamplers.UniformInteger(random, 0)).ParamName);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(15, 3)]
    [InlineData(16, 4)]
    [InlineData(17, 4)]
    public void IntegerSqrt_Values_Floor(long value, long expected)
    {
        Assert.Equal(expected, (long)ExactSamplers.IntegerSqrt(value));
        var big = (BigInteger.One << 200) + 12345;
        var r = ExactSamplers.IntegerSqrt(big);
        Assert.True(r * r <= big && (r + 1) * (r + 1) > big);
    }

    private static void CheckAll(List<long> samples, Func<long, double> pmf, long range, string what)
    {
        double variance = 0, fourth = 0, tail = 0;
        for (long x = -100 * range; x <= 100 * range; x++)
        {
            var p = pmf(x);
            variance += p * x * x;
            fourth += p * x * x * x * x;
            tail += Math.Abs(x) >= range ? p : 0;
        }

        StatisticalChecks.ChiSquare(samples, pmf, -range, range, what);
        var asDouble = samples.Select(x => (double)x).ToList();
        StatisticalChecks.Mean(asDouble, 0, variance, what);
        StatisticalChecks.Variance(asDouble, 0, variance, fourth, what);
        StatisticalChecks.Frequency(samples.Count(x => Math.Abs(x) >= range), samples.Count, tail, what + " tail");
    }
}
