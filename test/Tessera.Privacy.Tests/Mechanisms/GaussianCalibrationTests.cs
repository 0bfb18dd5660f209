using Tessera.Privacy.Mechanisms;

namespace Tessera.Privacy.Tests.Mechanisms;

public sealed class GaussianCalibrationTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 0.47950012218695346232)]
    [InlineData(1.0, 0.15729920705028513066)]
    [InlineData(2.0, 0.0046777349810472658379)]
    [InlineData(3.0, 2.2090496998585441373e-5)]
    [InlineData(5.0, 1.5374597944280348502e-12)]
    [InlineData(10.0, 2.0884875837625447570e-45)]
    [InlineData(-1.0, 1.8427007929497148693)]
    public void Erfc_KnownValues_RelativeErrorBelow1e14(double x, double expected)
    {
        var actual = NormalDistribution.Erfc(x);
        Assert.True(Math.Abs(actual - expected) <= 1e-14 * expected, $"erfc({x}) = {actual:R}, expected {expected:R}");
    }

    /// <summary>The analytic sigma puts the exact delta formula on the target to 1e-9 relative, and is minimal:
    /// a sigma smaller by one part in a million already exceeds delta.</summary>
    [Theory]
    [InlineData(0.01, 1e-5, 1.0)]
    [InlineData(0.1, 1e-3, 2.0)]
    [InlineData(1.0, 1e-5, 1.0)]
    [InlineData(1.0, 1e-10, 0.5)]
    [InlineData(5.0, 1e-6, 1.0)]
    [InlineData(10.0, 1e-2, 3.0)]
    [InlineData(0.5, 0.3, 1.0)]
    public void AnalyticSigma_Delta_MatchesTarget(double epsilon, double delta, double sensitivity)
    {
        var sigma = GaussianCalibration.AnalyticSigma(epsilon, delta, sensitivity);
        var achieved = GaussianCalibration.Delta(epsilon, sigma, sensitivity);
        Assert.True(Math.Abs(achieved - delta) <= 1e-9 * delta, $"sigma {sigma:R}: delta {achieved:R} vs {delta:R}");
        Assert.True(GaussianCalibration.Delta(epsilon, sigma * (1 - 1e-6), sensitivity) > delta);
    }

    /// <summary>The analytic calibration beats the classical one for epsilon &lt; 1 and scales linearly in the sensitivity.</summary>
    [Theory]
    [InlineData(0.1, 1e-5)]
    [InlineData(0.5, 1e-6)]
    [InlineData(0.9, 1e-3)]
    public void AnalyticSigma_SmallEpsilon_BelowClassical(double epsilon, double delta)
    {
        var analytic = GaussianCalibration.AnalyticSigma(epsilon, delta, 1);
        Assert.True(analytic < GaussianCalibration.ClassicalSigma(epsilon, delta, 1));
        Assert.Equal(3 * analytic, GaussianCalibration.AnalyticSigma(epsilon, delta, 3), 1e-12 * analytic);
        Assert.True(GaussianCalibration.Delta(epsilon, GaussianCalibration.ClassicalSigma(epsilon, delta, 1), 1) < delta);
    }

    /// <summary>Classical sigma at (0.5, 1e-5, 1): sqrt(2 ln 125000) / 0.5.</summary>
    [Fact]
    public void ClassicalSigma_KnownValue()
    {
        Assert.Equal(Math.Sqrt(2 * Math.Log(125000)) / 0.5, GaussianCalibration.ClassicalSigma(0.5, 1e-5, 1), 1e-12);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => GaussianCalibration.ClassicalSigma(1, 1e-5, 1)).ParamName);
    }

    [Fact]
    public void AnalyticSigma_BadArguments_ThrowNamingParameter()
    {
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => GaussianCalibration.AnalyticSigma(0, 1e-5, 1)).ParamName);
        Assert.Equal("delta", Assert.Throws<ArgumentOutOfRangeException>(() => GaussianCalibration.AnalyticSigma(1, 0, 1)).ParamName);
        Assert.Equal("l2Sensitivity", Assert.Throws<ArgumentOutOfRangeException>(() => GaussianCalibration.AnalyticSigma(1, 1e-5, double.NaN)).ParamName);
    }
}
