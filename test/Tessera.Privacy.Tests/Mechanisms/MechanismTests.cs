using Tessera.Privacy.Mechanisms;

namespace Tessera.Privacy.Tests.Mechanisms;

public sealed class MechanismTests
{
    /// <summary>Laplace mechanism output against the continuous Laplace CDF with the effective scale (KS, false-alarm
    /// rate 2.9e-7), and every output on the grid.</summary>
    [Fact]
    public void LaplaceMechanism_ManyReleases_LaplaceAroundValueOnGrid()
    {
        var random = new SeededRandomSource(21);
        const double value = 3.14159, sensitivity = 2, epsilon = 0.5;
        var g = LaplaceMechanism.Granularity(sensitivity);
        var b = LaplaceMechanism.EffectiveSensitivity(sensitivity) / epsilon;
        var samples = Enumerable.Range(0, 20_000).Select(_ => LaplaceMechanism.AddNoise(value, sensitivity, epsilon, random)).ToList();
        Assert.All(samples, s => Assert.Equal(Math.Round(s / g), s / g));
        var centre = Math.Round(value / g) * g;
        StatisticalChecks.KolmogorovSmirnov(
            samples, x => x < centre ? 0.5 * Math.Exp((x - centre) / b) : 1 - (0.5 * Math.Exp(-(x - centre) / b)), "Laplace mechanism");
        Assert.Equal(Math.ScaleB(1.0, 1 - 20), g);
        Assert.InRange(b * epsilon, sensitivity + g, sensitivity + (2 * g));
    }

    /// <summary>Gaussian mechanism output against the normal CDF with its sigma (KS, false-alarm rate 2.9e-7).</summary>
    [Fact]
    public void GaussianMechanism_ManyReleases_NormalAroundValue()
    {
        var random = new SeededRandomSource(22);
        const double value = -7.5, sensitivity = 1, epsilon = 1, delta = 1e-5;
        var sigma = GaussianMechanism.Sigma(sensitivity, epsilon, delta);
        var samples = Enumerable.Range(0, 20_000).Select(_ => GaussianMechanism.AddNoise(value, sensitivity, epsilon, delta, random)).ToList();
        StatisticalChecks.KolmogorovSmirnov(samples, x => NormalDistribution.Cdf((x - value) / sigma), "Gaussian mechanism");
        Assert.True(sigma > GaussianCalibration.AnalyticSigma(epsilon, delta, sensitivity));
    }

    /// <summary>
    /// Mironov's attack reads the input from which doubles an output can be. Here two inputs closer than the grid step
    /// give the same output for the same random stream: the output depends on the input only through its grid rounding.
    /// </summary>
    [Fact]
    public void LaplaceMechanism_InputsWithinGridStep_SameOutputs()
    {
        var a = new SeededRandomSource(23);
        var b = new SeededRandomSource(23);
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(LaplaceMechanism.AddNoise(1.0, 1, 1, a), LaplaceMechanism.AddNoise(1.0 + 1e-9, 1, 1, b));
        }
    }

    [Fact]
    public void Mechanisms_BadArguments_ThrowNamingParameter()
    {
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => LaplaceMechanism.AddNoise(double.NaN, 1, 1)).ParamName);
        Assert.Equal("l1Sensitivity", Assert.Throws<ArgumentOutOfRangeException>(() => LaplaceMechanism.AddNoise(1, 0, 1)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => LaplaceMechanism.AddNoise(1, 1, -1)).ParamName);
        Assert.Equal("delta", Assert.Throws<ArgumentOutOfRangeException>(() => GaussianMechanism.AddNoise(1, 1, 1, 0)).ParamName);
        Assert.Equal("sigma", Assert.Throws<ArgumentOutOfRangeException>(() => GaussianMechanism.AddNoiseWithSigma(1, 1, double.PositiveInfinity)).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => ExponentialMechanism.Select([], 1, 1)).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => ExponentialMechanism.Select([1, double.NaN], 1, 1)).ParamName);
        Assert.Equal("sensitivity", Assert.Throws<ArgumentOutOfRangeException>(() => ExponentialMechanism.Select([1], 0, 1)).ParamName);
    }

    /// <summary>
    /// Permute-and-flip selection frequencies against its exact distribution, computed by enumerating all orders of
    /// four candidates. Chi-square, false-alarm rate 2.9e-7.
    /// </summary>
    [Fact]
    public void ExponentialMechanism_ManySelections_MatchPermuteAndFlip()
    {
        double[] scores = [0, 1, 3, 2.5];
        const double sensitivity = 1, epsilon = 1.5;
        var accept = scores.Select(q => Math.Exp(epsilon * (q - scores.Max()) / (2 * sensitivity))).ToArray();
        var exact = new double[scores.Length];
        var permutations = Permutations([0, 1, 2, 3]).ToList();
        foreach (var order in permutations)
        {
            var reach = 1.0;
            foreach (var i in order)
            {
                exact[i] += reach * accept[i] / permutations.Count;
                reach *= 1 - accept[i];
            }
        }

        var random = new SeededRandomSource(24);
        var samples = Enumerable.Range(0, 60_000).Select(_ => (long)ExponentialMechanism.Select(scores, sensitivity, epsilon, random)).ToList();
        StatisticalChecks.ChiSquare(samples, x => x is >= 0 and < 4 ? exact[x] : 0, 0, 3, "permute-and-flip");
    }

    private static IEnumerable<int[]> Permutations(int[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany(x => Permutations(items.Where(y => y != x).ToArray()).Select(rest => new[] { x }.Concat(rest).ToArray()));
}
