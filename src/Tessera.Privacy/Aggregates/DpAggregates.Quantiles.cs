using System.Numerics;
using Tessera.Privacy.Mechanisms;

namespace Tessera.Privacy.Aggregates;

public static partial class DpAggregates
{
    /// <summary>The default number of equal cells the bounded range is cut into for quantiles.</summary>
    public const int DefaultQuantileResolution = 1024;

    /// <summary>
    /// The <paramref name="quantile"/>-quantile of the values clamped to [<paramref name="lower"/>,
    /// <paramref name="upper"/>], by the exponential mechanism over a grid of the bounded range (after Smith 2011).
    /// </summary>
    /// <param name="values">The column; each row is one user.</param>
    /// <param name="quantile">Which quantile, in [0, 1] (0.5 is the median).</param>
    /// <param name="lower">The declared lower bound; finite.</param>
    /// <param name="upper">The declared upper bound; finite, at least <paramref name="lower"/>.</param>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="random">The random source; the OS CSPRNG when null.</param>
    /// <param name="resolution">The number of equal cells the range is cut into; the answer is a cell's midpoint.</param>
    /// <returns>The noisy quantile and the budget spent (epsilon, 0).</returns>
    /// <exception cref="ArgumentException">An argument is out of range or the bounds are invalid.</exception>
    /// <remarks>
    /// The range is cut into cells [c_j, c_(j+1)), c_j = lower + j (upper - lower) / resolution. With n the number of
    /// (non-NaN) values, a cell's utility is minus the distance from q n to [#{x &lt; c_j}, #{x &lt; c_(j+1)}], which is
    /// 0 exactly when the cell holds a q-quantile and changes by at most 1 per user (MaxContributionsPerUser with
    /// bounding). One cell is chosen by permute-and-flip (<see cref="ExponentialMechanism"/>) with exact rational
    /// utilities, and its midpoint returned. Smith's mechanism draws from the intervals between data points weighted by
    /// length; a fine uniform grid is that mechanism with the base measure discretised, and it keeps every step exact.
    /// </remarks>
    public static DpRelease<double> Quantile(
        ReadOnlySpan<double> values, double quantile, double lower, double upper, double epsilon, IRandomSource? random = null,
        int resolution = DefaultQuantileResolution)
    {
        var result = QuantilesCore(values, 1, [quantile], lower, upper, epsilon, random, resolution);
        return new DpRelease<double>(result.Value[0], result.Spent);
    }

    /// <summary>Several quantiles of the values, splitting epsilon evenly among them (basic composition).</summary>
    /// <param name="values">The column; each row is one user.</param>
    /// <param name="quantiles">Which quantiles, each in [0, 1]; at least one.</param>
    /// <param name="lower">The declared lower bound; finite.</param>
    /// <param name="upper">The declared upper bound; finite, at least <paramref name="lower"/>.</param>
    /// <param name="epsilon">The total privacy-loss bound; positive and finite.</param>
    /// <param name="random">The random source; the OS CSPRNG when null.</param>
    /// <param name="resolution">The number of equal steps of the range.</param>
    /// <returns>The noisy quantiles in the order asked (made monotone in the quantile) and the budget spent.</returns>
    /// <exception cref="ArgumentException">An argument is out of range or the bounds are invalid.</exception>
    public static DpRelease<double[]> Quantiles(
        ReadOnlySpan<double> values, ReadOnlySpan<double> quantiles, double lower, double upper, double epsilon,
        IRandomSource? random = null, int resolution = DefaultQuantileResolution) =>
        QuantilesCore(values, 1, quantiles, lower, upper, epsilon, random, resolution);

    /// <summary>Several quantiles of the bounded values, splitting epsilon evenly among them.</summary>
    /// <param name="contributions">The bounded values.</param>
    /// <param name="quantiles">Which quantiles, each in [0, 1]; at least one.</param>
    /// <param name="lower">The declared lower bound; finite.</param>
    /// <param name="upper">The declared upper bound; finite, at least <paramref name="lower"/>.</param>
    /// <param name="epsilon">The total privacy-loss bound; positive and finite.</param>
    /// <param name="random">The random source; the OS CSPRNG when null.</param>
    /// <param name="resolution">The number of equal steps of the range.</param>
    /// <returns>The noisy quantiles and the budget spent.</returns>
    /// <exception cref="ArgumentException">An argument is out of range or the bounds are invalid.</exception>
    public static DpRelease<double[]> Quantiles(
        UserContributions contributions, ReadOnlySpan<double> quantiles, double lower, double upper, double epsilon,
        IRandomSource? random = null, int resolution = DefaultQuantileResolution)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        return QuantilesCore(contributions.Values, contributions.MaxContributionsPerUser, quantiles, lower, upper, epsilon, random, resolution);
    }

    private static DpRelease<double[]> QuantilesCore(
        ReadOnlySpan<double> values, int maxContributions, ReadOnlySpan<double> quantiles, double lower, double upper, double epsilon,
        IRandomSource? random, int resolution)
    {
        AggregateArguments.Bounds(lower, upper);
        AggregateArguments.Epsilon(epsilon);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resolution);
        if (quantiles.IsEmpty)
        {
            throw new ArgumentException("At least one quantile is needed.", nameof(quantiles));
        }

        foreach (var q in quantiles)
        {
            if (!(q >= 0 && q <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(quantiles), q, "Each quantile must lie in [0, 1].");
            }
        }

        random ??= CryptoRandomSource.Instance;
        var sorted = new List<double>(values.Length);
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                sorted.Add(Math.Clamp(v, lower, upper));
            }
        }

        sorted.Sort();
        var n = sorted.Count;

        // Cell j is [c_j, c_(j+1)), the last one closed; c_j = lower + j (upper - lower) / resolution.
        var edges = new double[resolution + 1];
        var below = new long[resolution + 1];
        for (var j = 0; j <= resolution; j++)
        {
            edges[j] = j == resolution ? upper : lower + ((upper - lower) * j / resolution);
            below[j] = j == resolution ? n : LowerBound(sorted, edges[j]);
        }

        var share = Rational.FromDouble(epsilon) / Rational.FromInteger(quantiles.Length);
        var sensitivity = Rational.FromInteger(maxContributions);
        var result = new double[quantiles.Length];
        var scores = new Rational[resolution];
        for (var k = 0; k < quantiles.Length; k++)
        {
            var q = Rational.FromDouble(quantiles[k]);
            var target = q.Numerator * n; // q n = target / q.Denominator
            for (var j = 0; j < resolution; j++)
            {
                // Distance from q n to the ranks the cell spans, [#{x < c_j}, #{x < c_(j+1)}]: 0 when the cell holds a q-quantile.
                var lo = (below[j] * q.Denominator) - target;
                var hi = target - (below[j + 1] * q.Denominator);
                var distance = BigInteger.Max(BigInteger.Max(lo, hi), BigInteger.Zero);
                scores[j] = new Rational(-distance, q.Denominator);
            }

            var cell = ExponentialMechanism.Select(scores, sensitivity, share, random);
            result[k] = (edges[cell] / 2) + (edges[cell + 1] / 2);
        }

        MakeMonotone(quantiles, result);
        return new DpRelease<double[]>(result, new PrivacyParameters(epsilon, 0));
    }

    private static int LowerBound(List<double> sorted, double value)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Sorts the answers into the order of their quantiles (post-processing), so q1 &lt;= q2 gives a1 &lt;= a2.</summary>
    private static void MakeMonotone(ReadOnlySpan<double> quantiles, double[] answers)
    {
        var order = Enumerable.Range(0, quantiles.Length).ToArray();
        var keys = quantiles.ToArray();
        Array.Sort(keys, order);
        var sortedAnswers = answers.Order().ToArray();
        for (var i = 0; i < order.Length; i++)
        {
            answers[order[i]] = sortedAnswers[i];
        }
    }
}
