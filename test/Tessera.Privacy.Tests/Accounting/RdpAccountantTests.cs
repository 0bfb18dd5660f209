using Tessera.Privacy.Accounting;

namespace Tessera.Privacy.Tests.Accounting;

/// <summary>The RDP accountant against published values (cited per case) and high-precision references (README.md here).</summary>
public sealed class RdpAccountantTests
{
    private static void AssertRelative(double expected, double actual, double tolerance)
    {
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected),
            $"expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):E2}, allowed {tolerance:E0})");
    }

    /// <summary>pytorch/opacus, opacus/tests/accountants_test.py, test_rdp_accountant: sigma 1.5, q 0.04, 2250 steps, delta 1e-5.</summary>
    [Fact]
    public void Opacus_RdpAccountant_Epsilon()
    {
        var accountant = new RdpAccountant();
        for (var i = 0; i < (int)(90 / 0.04); i++)
        {
            accountant.Step(1.5, 0.04);
        }

        AssertRelative(7.32911117143, accountant.GetEpsilon(1e-5), 1e-8);
        Assert.Equal(((double)1.5, 0.04, 2250L), accountant.History.Single());
    }

    /// <summary>
    /// google/differential-privacy, python/dp_accounting/dp_accounting/rdp/rdp_privacy_accountant_test.py,
    /// test_compute_rdp_poisson_sampled_gaussian: sigma 2.5, q 0.01, 50 steps, at orders 5, 50, 100 and infinity (9
    /// significant digits published, matched to 1e-8 relative). At its fractional orders (1.5 and 2.5) current
    /// dp_accounting sums the series' terms without their signs, an upper bound on A (6.7058e-4 at 1.5, 3% above the
    /// true value); Tessera keeps the signed series, which matches a 40-digit integral to 1e-9
    /// (<see cref="LogA_MatchesHighPrecisionIntegral"/>), as TF Privacy and Opacus do.
    /// </summary>
    [Fact]
    public void DpAccounting_PoissonSampledGaussian_RdpPerOrder()
    {
        var accountant = new RdpAccountant([5, 50, 100, double.PositiveInfinity]);
        accountant.Step(2.5, 0.01, 50);
        double[] expected = [2.18075656e-03, 2.38460375e-02, 1.67416308e02];
        for (var i = 0; i < expected.Length; i++)
        {
            AssertRelative(expected[i], accountant.Rdp[i], 1e-8);
        }

        Assert.True(double.IsPositiveInfinity(accountant.Rdp[3]));
        var fractional = new RdpAccountant([1.5, 2.5]);
        fractional.Step(2.5, 0.01, 50);
        Assert.InRange(fractional.Rdp[0], 6.50070e-4, 6.70579741e-04);
        Assert.InRange(fractional.Rdp[1], 1.08541e-3, 1.08548710e-03);
    }

    /// <summary>Same file, test_compute_epsilon_delta_pure_dp: constant RDP 1.1 over orders 2..32 gives epsilon 1.32783806176 at order 32.</summary>
    [Fact]
    public void DpAccounting_ConstantRdp_Epsilon()
    {
        var orders = Enumerable.Range(2, 31).Select(o => (double)o).ToArray();
        var (epsilon, order) = RdpMath.Epsilon(orders, [.. orders.Select(_ => 1.1)], 1e-5);
        AssertRelative(1.32783806176, epsilon, 1e-10);
        Assert.Equal(32, order);
    }

    /// <summary>Same file, test_compute_epsilon_delta_gaussian: q 1 and sigma 4.530877117 give exactly (1, 1e-6)-DP over orders 1.000..99.999.</summary>
    [Fact]
    public void DpAccounting_Gaussian_EpsilonOne()
    {
        var orders = Enumerable.Range(1000, 99000).Select(i => 0.001 * i).Where(o => o > 1).ToArray();
        var accountant = new RdpAccountant(orders);
        accountant.Step(4.530877117, 1.0);
        AssertRelative(1.0, accountant.GetEpsilon(1e-6), 1e-7);
    }

    /// <summary>
    /// log A (to 1e-7 relative; values as small as 6e-9 lose digits to the series' cancellation) against a 40-digit numerical integration with mpmath (script in README.md here), at the (q, sigma, order)
    /// points of dp_accounting's test_compute_log_a_equals_mp and of the Opacus case, integer and fractional orders.
    /// </summary>
    [Theory]
    [InlineData(1e-4, 1.0, 1.5, 6.4426869538366497255e-9)]
    [InlineData(1e-3, 1.0, 2.0, 1.7182803522145153698e-6)]
    [InlineData(0.01, 10.0, 20.0, 0.00019129699912842962637)]
    [InlineData(0.1, 100.0, 20.5, 0.0001999181845806829614)]
    [InlineData(0.01, 2.5, 1.5, 6.5007089718803973675e-6)]
    [InlineData(0.01, 2.5, 2.5, 0.000032562541707543729095)]
    [InlineData(0.04, 1.5, 3.7, 0.0046704937230146866629)]
    [InlineData(0.04, 1.5, 12.0, 0.085421164191924164716)]
    public void LogA_MatchesHighPrecisionIntegral(double q, double sigma, double order, double expected)
    {
        var rdp = RdpMath.SubsampledGaussian(q, sigma, order);
        AssertRelative(expected, rdp * (order - 1), 1e-7);
    }

    /// <summary>
    /// The inverse: the noise multiplier for a target epsilon reaches it to 1e-6 relative, for the Opacus setting of
    /// pytorch/opacus, opacus/tests/accountants_test.py, test_get_noise_multiplier (epsilon 8, delta 1e-5, q 0.04, 90
    /// epochs). Opacus publishes 1.425307617 there, found by a bisection that stops within 0.01 of the target; this RDP
    /// accountant (which matches Opacus's test_rdp_accountant to 1e-8) gives epsilon 7.919 at that multiplier, not 7.99 to
    /// 8, so that published figure is not reproduced; ours is the smaller (tighter) multiplier, 1.4158.
    /// </summary>
    [Fact]
    public void NoiseMultiplierFor_ReachesTheTargetEpsilon()
    {
        var steps = (int)(90 / 0.04);
        var sigma = RdpAccountant.NoiseMultiplierFor(8, 1e-5, 0.04, steps);

        Assert.InRange(sigma, 1.40, 1.425307617);
        AssertRelative(8, RdpAccountant.EpsilonFor(sigma, 0.04, steps, 1e-5), 1e-6);
        Assert.True(RdpAccountant.EpsilonFor(sigma * 0.999, 0.04, steps, 1e-5) > 8);
        AssertRelative(1.0, RdpAccountant.EpsilonFor(RdpAccountant.NoiseMultiplierFor(1.0, 1e-5, 256.0 / 60000, 2340), 256.0 / 60000, 2340, 1e-5), 1e-6);
    }

    /// <summary>
    /// tensorflow/privacy, tensorflow_privacy/privacy/analysis/rdp_accountant_test.py: test_compute_rdp_scalar (q 0.1,
    /// sigma 2, 10 steps, order 5: 0.07737), test_compute_rdp_sequence (q 0.01, sigma 2.5, 50 steps: 0.00065, 0.001085,
    /// 0.00218075, 0.023846, 167.416307), test_compute_rdp_no_sampling (0.1) and test_check_composition (at most
    /// 8.509656). TF Privacy prints these to 4 to 9 digits, so they are matched to their last printed digit; the same
    /// setting is matched to 1e-8 against dp_accounting above.
    /// </summary>
    [Fact]
    public void TfPrivacy_RdpValues()
    {
        var scalar = new RdpAccountant([5]);
        scalar.Step(2, 0.1, 10);
        Assert.Equal(0.07737, scalar.Rdp[0], 5);

        var sequence = new RdpAccountant([1.5, 2.5, 5, 50, 100]);
        sequence.Step(2.5, 0.01, 50);
        double[] expected = [0.00065, 0.001085, 0.00218075, 0.023846, 167.416307];
        double[] lastDigit = [1e-5, 1e-6, 1e-8, 1e-6, 1e-6];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - sequence.Rdp[i]) <= lastDigit[i], $"order {sequence.Orders[i]}: {sequence.Rdp[i]:R} vs {expected[i]}");
        }

        var plain = new RdpAccountant([20]);
        plain.Step(10, 1);
        Assert.Equal(0.1, plain.Rdp[0], 15);

        double[] orders = [1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 64, 256];
        var composed = new RdpAccountant(orders);
        composed.Step(0.4, 1e-4, 40000);
        composed.Step(2, 0.1, 100);
        Assert.True(composed.GetEpsilon(1e-5) <= 8.509656);
    }

    [Fact]
    public void EdgeCases_NoSamplingIsFree_NoNoiseIsInfinite_QOneIsPlainGaussian()
    {
        var free = new RdpAccountant([3.14159]);
        free.Step(1.0, 0, 1000);
        Assert.Equal(0, free.GetEpsilon(1e-10));

        var open = new RdpAccountant([3.14159]);
        open.Step(0, 0.5);
        Assert.True(double.IsPositiveInfinity(open.GetEpsilon(0.1)));

        var gaussian = new RdpAccountant([3.14159]);
        gaussian.Step(2.71828, 1.0);
        AssertRelative(3.14159 / (2 * 2.71828 * 2.71828), gaussian.Rdp[0], 1e-15);
        Assert.Equal(0, new RdpAccountant().GetEpsilon(1e-5));
    }

    [Fact]
    public void Epsilon_DecreasesWithNoise_AndGrowsWithSteps()
    {
        var previous = double.PositiveInfinity;
        foreach (var sigma in new[] { 0.6, 0.8, 1.0, 1.5, 3.0 })
        {
            var epsilon = RdpAccountant.EpsilonFor(sigma, 0.01, 1000, 1e-5);
            Assert.True(epsilon < previous);
            previous = epsilon;
        }

        Assert.True(RdpAccountant.EpsilonFor(1.0, 0.01, 2000, 1e-5) > RdpAccountant.EpsilonFor(1.0, 0.01, 1000, 1e-5));
    }

    [Fact]
    public void Misuse_Throws_NamingTheParameter()
    {
        var accountant = new RdpAccountant();
        Assert.Equal("noiseMultiplier", Assert.Throws<ArgumentOutOfRangeException>(() => accountant.Step(-1, 0.1)).ParamName);
        Assert.Equal("sampleRate", Assert.Throws<ArgumentOutOfRangeException>(() => accountant.Step(1, 1.5)).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => accountant.Step(1, 0.1, -1)).ParamName);
        Assert.Equal("delta", Assert.Throws<ArgumentOutOfRangeException>(() => accountant.GetEpsilon(0)).ParamName);
        Assert.Equal("orders", Assert.Throws<ArgumentOutOfRangeException>(() => new RdpAccountant([1.0])).ParamName);
        Assert.Equal("targetEpsilon", Assert.Throws<ArgumentOutOfRangeException>(() => RdpAccountant.NoiseMultiplierFor(0, 1e-5, 0.1, 10)).ParamName);
    }
}
