using Tessera.Privacy.Accounting;

namespace Tessera.Privacy.Tests.Accounting;

/// <summary>Basic, advanced and optimal composition, and zCDP with its tight conversion.</summary>
public sealed class CompositionTests
{
    [Fact]
    public void Basic_AddsEpsilonsAndDeltas()
    {
        var total = Composition.Basic([new(0.5, 1e-6), new(0.25, 2e-6), new(1, 0)]);
        Assert.Equal(1.75, total.Epsilon, 15);
        Assert.True(Math.Abs(total.Delta - 3e-6) < 1e-18);
    }

    /// <summary>Dwork, Rothblum, Vadhan 2010 (Dwork and Roth 2014, Theorem 3.20) evaluated by hand for epsilon 0.1, k 100, slack 1e-5.</summary>
    [Fact]
    public void Advanced_MatchesTheTheorem()
    {
        var total = Composition.Advanced(new(0.1, 1e-7), 100, 1e-5);
        var expected = (0.1 * Math.Sqrt(200 * Math.Log(1e5))) + (100 * 0.1 * (Math.Exp(0.1) - 1));
        Assert.Equal(expected, total.Epsilon, 12);
        Assert.Equal(1e-5 + 1e-5, total.Delta, 15);
    }

    /// <summary>
    /// Kairouz, Oh, Viswanath 2015, Theorem 3.3, by hand: two runs of 1-DP have (0, (e^2 - 1) / (1 + e)^2) and (2, 0) on
    /// their optimal curve; one run is itself.
    /// </summary>
    [Fact]
    public void Optimal_SmallCasesByHand()
    {
        var atZero = Composition.Optimal(new(1, 0), 2, 0.5);
        Assert.Equal(0, atZero.Epsilon);
        Assert.Equal((Math.Exp(2) - 1) / Math.Pow(1 + Math.E, 2), atZero.Delta, 14);
        Assert.Equal(2, Composition.Optimal(new(1, 0), 2, 0.1).Epsilon);
        Assert.Equal(0.7, Composition.Optimal(new(0.7, 1e-7), 1, 1e-5).Epsilon, 15);
    }

    [Fact]
    public void Optimal_IsNoWorseThanAdvancedOrBasic()
    {
        var one = new PrivacyParameters(0.1, 0);
        var optimal = Composition.Optimal(one, 100, 1e-5);
        Assert.True(optimal.Delta <= 1e-5);
        Assert.True(optimal.Epsilon <= Composition.Advanced(one, 100, 1e-5).Epsilon);
        Assert.True(optimal.Epsilon < Composition.Basic(Enumerable.Repeat(one, 100)).Epsilon);
    }

    /// <summary>
    /// google/differential-privacy, python/dp_accounting/dp_accounting/rdp/rdp_privacy_accountant_test.py,
    /// test_compute_epsilon_delta_gaussian: the Gaussian with noise multiplier 4.530877117 is exactly (1, 1e-6)-DP by the
    /// tight RDP conversion. zCDP of the Gaussian is its whole RDP curve, so minimising over every real order gives 1.
    /// </summary>
    [Fact]
    public void Zcdp_Gaussian_TightConversion_MatchesDpAccounting()
    {
        var accountant = new ZcdpAccountant();
        accountant.AddGaussian(4.530877117);
        Assert.Equal(1 / (2 * 4.530877117 * 4.530877117), accountant.Rho, 15);
        Assert.True(Math.Abs(accountant.GetEpsilon(1e-6) - 1) <= 1e-6);
        Assert.True(accountant.GetEpsilonClassical(1e-6) > accountant.GetEpsilon(1e-6));
        Assert.True(Math.Abs(ZcdpAccountant.GaussianSigmaFor(1, 1e-6) - 4.530877117) <= 1e-6 * 4.530877117);
    }

    [Fact]
    public void Zcdp_ComposesByAddingRho()
    {
        var accountant = new ZcdpAccountant();
        accountant.AddPureDp(1);
        accountant.AddGaussian(2, sensitivity: 2);
        Assert.Equal(0.5 + 0.5, accountant.Rho, 15);
        Assert.Equal(0, new ZcdpAccountant().GetEpsilon(1e-5));
        Assert.Equal("sigma", Assert.Throws<ArgumentOutOfRangeException>(() => accountant.AddGaussian(0)).ParamName);
        Assert.Equal("delta", Assert.Throws<ArgumentOutOfRangeException>(() => accountant.GetEpsilon(1)).ParamName);
    }
}
