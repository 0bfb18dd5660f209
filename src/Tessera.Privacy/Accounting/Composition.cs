namespace Tessera.Privacy.Accounting;

/// <summary>
/// Composition theorems for (epsilon, delta)-DP mechanisms: basic (the sums), advanced (Dwork, Rothblum, Vadhan 2010), and
/// the optimal k-fold homogeneous composition (Kairouz, Oh, Viswanath 2015, Theorem 3.3), each a valid bound; the optimal
/// one is the smallest.
/// </summary>
public static class Composition
{
    /// <summary>Basic composition: epsilons and deltas add up.</summary>
    /// <param name="mechanisms">The guarantees of the mechanisms run.</param>
    /// <returns>The composed guarantee (delta capped below 1).</returns>
    public static PrivacyParameters Basic(IEnumerable<PrivacyParameters> mechanisms)
    {
        ArgumentNullException.ThrowIfNull(mechanisms);
        double epsilon = 0, delta = 0;
        foreach (var m in mechanisms)
        {
            epsilon += m.Epsilon;
            delta += m.Delta;
        }

        return new PrivacyParameters(epsilon, Math.Min(delta, Math.BitDecrement(1.0)));
    }

    /// <summary>
    /// Advanced composition of <paramref name="k"/> runs of an (epsilon, delta) mechanism: epsilon' = epsilon sqrt(2k ln(1/delta'))
    /// + k epsilon (e^epsilon - 1), delta' total = k delta + <paramref name="slack"/>.
    /// </summary>
    /// <param name="mechanism">One run's guarantee.</param>
    /// <param name="k">How many runs; positive.</param>
    /// <param name="slack">The extra delta the theorem spends, in (0, 1).</param>
    /// <returns>The composed guarantee.</returns>
    /// <exception cref="ArgumentOutOfRangeException">k or the slack is out of range, or the total delta reaches 1.</exception>
    public static PrivacyParameters Advanced(PrivacyParameters mechanism, int k, double slack)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        CheckDelta(slack, nameof(slack));
        var e = mechanism.Epsilon;
        var epsilon = (e * Math.Sqrt(2.0 * k * Math.Log(1 / slack))) + (k * e * RdpMath.ExpM1(e));
        return new PrivacyParameters(epsilon, Total(k * mechanism.Delta + slack));
    }

    /// <summary>
    /// The optimal composition of <paramref name="k"/> runs of an (epsilon, delta) mechanism (Kairouz, Oh, Viswanath 2015,
    /// Theorem 3.3): the smallest epsilon_i = (k - 2i) epsilon whose delta_i = 1 - (1 - delta)^k (1 - d_i) is at most
    /// <paramref name="targetDelta"/>, with d_i = sum_{l &lt; i} C(k, l) (e^((k-l) epsilon) - e^((k-2i+l) epsilon)) / (1 + e^epsilon)^k,
    /// computed in log space.
    /// </summary>
    /// <param name="mechanism">One run's guarantee (epsilon positive).</param>
    /// <param name="k">How many runs; positive.</param>
    /// <param name="targetDelta">The composed delta allowed, at least 1 - (1 - delta)^k.</param>
    /// <returns>The composed guarantee.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static PrivacyParameters Optimal(PrivacyParameters mechanism, int k, double targetDelta)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        CheckDelta(targetDelta, nameof(targetDelta));
        var e = mechanism.Epsilon;
        if (!(e > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(mechanism), "The optimal composition needs a positive epsilon.");
        }

        var baseDelta = -RdpMath.ExpM1(k * RdpMath.Log1P(-mechanism.Delta)); // 1 - (1 - delta)^k
        if (baseDelta > targetDelta)
        {
            throw new ArgumentOutOfRangeException(nameof(targetDelta), targetDelta, $"The runs' own deltas already compose to {baseDelta:G6}.");
        }

        var logNorm = k * (e + RdpMath.Log1P(Math.Exp(-e))); // log (1 + e^epsilon)^k
        var best = new PrivacyParameters(k * e, Total(baseDelta));
        for (var i = k / 2; i >= 1; i--)
        {
            // d_i, the mass where the composed loss exceeds (k - 2i) epsilon.
            var logD = double.NegativeInfinity;
            var logBinomial = 0.0;
            for (var l = 0; l < i; l++)
            {
                var term = logBinomial + ((k - l) * e) + Math.Log(-RdpMath.ExpM1((2.0 * l - 2.0 * i) * e));
                logD = RdpMath.LogAdd(logD, term);
                logBinomial += Math.Log(k - l) - Math.Log(l + 1);
            }

            var d = Math.Exp(logD - logNorm);
            var delta = 1 - ((1 - baseDelta) * (1 - d));
            if (delta <= targetDelta)
            {
                return new PrivacyParameters((k - (2 * i)) * e, Total(delta));
            }
        }

        return best;
    }

    private static double Total(double delta) =>
        delta < 1 ? delta : throw new ArgumentOutOfRangeException(nameof(delta), delta, "The composed delta reaches 1: no guarantee is left.");

    private static void CheckDelta(double delta, string name)
    {
        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(name, delta, "Must lie in (0, 1).");
        }
    }
}
