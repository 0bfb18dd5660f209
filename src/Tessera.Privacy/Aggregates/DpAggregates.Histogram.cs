using Tessera.Privacy.Mechanisms;

namespace Tessera.Privacy.Aggregates;

public static partial class DpAggregates
{
    /// <summary>Noisy counts of the values in each bin [edges[i], edges[i + 1]) (the last bin is closed).</summary>
    /// <param name="values">The column; each row is one user. Values outside the edges are clamped into the end bins.</param>
    /// <param name="binEdges">The declared bin edges: finite, strictly increasing, at least two.</param>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="delta">0 for Laplace noise, or the failure probability in (0, 1) for Gaussian noise.</param>
    /// <param name="random">The random source; the OS CSPRNG when null.</param>
    /// <returns>One noisy count per bin and the budget spent.</returns>
    /// <exception cref="ArgumentException">The edges are invalid; epsilon or delta is out of range.</exception>
    /// <remarks>A user changes at most one bin by one, so every bin gets independent noise of sensitivity 1 (L1 and L2)
    /// and the whole histogram costs (epsilon, delta) once, by parallel composition.</remarks>
    public static DpRelease<long[]> Histogram(
        ReadOnlySpan<double> values, ReadOnlySpan<double> binEdges, double epsilon, double delta = 0, IRandomSource? random = null) =>
        HistogramCore(values, 1, binEdges, epsilon, delta, random);

    /// <summary>Noisy counts of the bounded values in each bin [edges[i], edges[i + 1]).</summary>
    /// <param name="contributions">The bounded values.</param>
    /// <param name="binEdges">The declared bin edges: finite, strictly increasing, at least two.</param>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="delta">0 for Laplace noise, or the failure probability in (0, 1) for Gaussian noise.</param>
    /// <param name="random">The random source; the OS CSPRNG when null.</param>
    /// <returns>One noisy count per bin and the budget spent.</returns>
    /// <exception cref="ArgumentException">The edges are invalid; epsilon or delta is out of range.</exception>
    /// <remarks>A user changes the counts by at most MaxContributionsPerUser in L1 (and so in L2); each bin's noise
    /// has that sensitivity.</remarks>
    public static DpRelease<long[]> Histogram(
        UserContributions contributions, ReadOnlySpan<double> binEdges, double epsilon, double delta = 0, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        return HistogramCore(contributions.Values, contributions.MaxContributionsPerUser, binEdges, epsilon, delta, random);
    }

    /// <summary>Noisy counts of categorical values 0 .. <paramref name="categoryCount"/> - 1.</summary>
    /// <param name="categories">Each row's category index, one row per user; indices out of range are dropped.</param>
    /// <param name="categoryCount">The declared number of categories; positive.</param>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="delta">0 for Laplace noise, or the failure probability in (0, 1) for Gaussian noise.</param>
    /// <param name="random">The random source; the OS CSPRNG when null.</param>
    /// <returns>One noisy count per category and the budget spent.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static DpRelease<long[]> Histogram(
        ReadOnlySpan<int> categories, int categoryCount, double epsilon, double delta = 0, IRandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(categoryCount);
        AggregateArguments.Common(epsilon, delta);
        var counts = new long[categoryCount];
        foreach (var c in categories)
        {
            if ((uint)c < (uint)categoryCount)
            {
                counts[c]++;
            }
        }

        return AddCountNoise(counts, 1, epsilon, delta, random ?? CryptoRandomSource.Instance);
    }

    private static DpRelease<long[]> HistogramCore(
        ReadOnlySpan<double> values, int maxContributions, ReadOnlySpan<double> binEdges, double epsilon, double delta, IRandomSource? random)
    {
        if (binEdges.Length < 2)
        {
            throw new ArgumentException($"A histogram needs at least two bin edges; got {binEdges.Length}.", nameof(binEdges));
        }

        for (var i = 0; i < binEdges.Length; i++)
        {
            if (!double.IsFinite(binEdges[i]) || (i > 0 && binEdges[i] <= binEdges[i - 1]))
            {
                throw new ArgumentException($"Bin edges must be finite and strictly increasing; edge {i} is {binEdges[i]}.", nameof(binEdges));
            }
        }

        AggregateArguments.Common(epsilon, delta);
        var bins = binEdges.Length - 1;
        var counts = new long[bins];
        foreach (var v in values)
        {
            if (double.IsNaN(v))
            {
                continue;
            }

            // The last edge not above v, found by binary search; values below the first edge land in bin 0.
            var index = binEdges.BinarySearch(v);
            var bin = index >= 0 ? index : ~index - 1;
            counts[Math.Clamp(bin, 0, bins - 1)]++;
        }

        return AddCountNoise(counts, maxContributions, epsilon, delta, random ?? CryptoRandomSource.Instance);
    }

    private static DpRelease<long[]> AddCountNoise(long[] counts, int sensitivity, double epsilon, double delta, IRandomSource random)
    {
        // Calibrate sigma once for all bins: the bisection is the costly part.
        var sigma = delta == 0 ? 0 : GaussianCalibration.AnalyticSigma(epsilon, delta, sensitivity);
        for (var i = 0; i < counts.Length; i++)
        {
            var noise = delta == 0 ? Grid.LaplaceNoise(random, sensitivity, epsilon) : Grid.GaussianNoise(random, sigma);
            counts[i] = (long)(counts[i] + noise);
        }

        return new DpRelease<long[]>(counts, new PrivacyParameters(epsilon, delta));
    }
}
