namespace Tessera.Privacy.Aggregates;

/// <summary>
/// Differentially private aggregates of a numeric column: count, sum, mean, variance, histogram and quantiles, with
/// values clamped to declared bounds and (through <see cref="UserContributions"/>) each user's contributions bounded.
/// </summary>
/// <remarks>
/// <para>Neighbouring datasets differ by adding or removing one user. With a plain span each value is one user; with
/// <see cref="UserContributions"/> a user holds up to its MaxContributionsPerUser values and sensitivities scale by it.</para>
/// <para>Noise: exact discrete Laplace (delta = 0, pure epsilon-DP) or exact discrete Gaussian with the analytic sigma
/// (delta &gt; 0), added to exact integer sums on a power-of-two grid (see docs/privacy.md). NaN values are dropped
/// (a per-row rule, so sensitivities hold); infinities are clamped like any value.</para>
/// <para>Each method returns the noisy value and the (epsilon, delta) it spent; the caller charges the budget.
/// Randomness defaults to <see cref="CryptoRandomSource.Instance"/>. Bounds must be declared in advance, never
/// computed from the data. Arguments out of range throw <see cref="ArgumentException"/> naming the parameter.</para>
/// </remarks>
public static partial class DpAggregates
{
    /// <summary>The number of rows, with noise of sensitivity 1.</summary>
    /// <param name="values">The column; each row is one user.</param>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="delta">0 for Laplace noise, or the failure probability in (0, 1) for Gaussian noise.</param>
    /// <param name="random">The random source; the OS CSPRNG when null.</param>
    /// <returns>The noisy count (it may be negative) and the budget spent.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> or <paramref name="delta"/> is out of range.</exception>
    public static DpRelease<long> Count(ReadOnlySpan<double> values, double epsilon, double delta = 0, IRandomSource? random = null) =>
        CountCore(values.Length, 1, epsilon, delta, random);

    /// <summary>The number of values after contribution bounding, with noise of sensitivity MaxContributionsPerUser.</summary>
    /// <param name="contributions">The bounded values.</param>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="delta">0 for Laplace noise, or the failure probability in (0, 1) for Gaussian noise.</param>
    /// <param name="random">The random source; the OS CSPRNG when null.</param>
    /// <returns>The noisy count and the budget spent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="contributions"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> or <paramref name="delta"/> is out of range.</exception>
    public static DpRelease<long> Count(UserContributions contributions, double epsilon, double delta = 0, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        return CountCore(contributions.Values.Length, contributions.MaxContributionsPerUser, epsilon, delta, random);
    }

    /// <summary>The sum of the values clamped to [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    /// <param name="values">The column; each row is one user.</param>
    /// <param name="lower">The declared lower bound; finite.</param>
    /// <param name="upper">The declared upper bound; finite, at least <paramref name="lower"/>.</param>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="delta">0 for Laplace noise, or the failure probability in (0, 1) for Gaussian noise.</param>
    /// <param name="random">The random source; the OS CSPRNG when null.</param>
    /// <returns>The noisy sum (sensitivity max(|lower|, |upper|)) and the budget spent.</returns>
    /// <exception cref="ArgumentException">The bounds are not finite or lower exceeds upper; epsilon or delta is out of range.</exception>
    public static DpRelease<double> Sum(
        ReadOnlySpan<double> values, double lower, double upper, double epsilon, double delta = 0, IRandomSource? random = null) =>
        SumCore(values, 1, lower, upper, epsilon, delta, random);

    /// <summary>The sum of the bounded values clamped to [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    /// <param name="contributions">The bounded values.</param>
    /// <param name="lower">The declared lower bound; finite.</param>
    /// <param name="upper">The declared upper bound; finite, at least <paramref name="lower"/>.</param>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="delta">0 for Laplace noise, or the failure probability in (0, 1) for Gaussian noise.</param>
    /// <param name="random">The random source; the OS CSPRNG when null.</param>
    /// <returns>The noisy sum (sensitivity MaxContributionsPerUser * max(|lower|, |upper|)) and the budget spent.</returns>
    /// <exception cref="ArgumentException">The bounds are not finite or lower exceeds upper; epsilon or delta is out of range.</exception>
    public static DpRelease<double> Sum(
        UserContributions contributions, double lower, double upper, double epsilon, double delta = 0, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        return SumCore(contributions.Values, contributions.MaxContributionsPerUser, lower, upper, epsilon, delta, random);
    }

    /// <summary>The mean of the values clamped to [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    /// <param name="values">The column; each row is one user.</param>
    /// <param name="lower">The declared lower bound; finite.</param>
    /// <param name="upper">The declared upper bound; finite, at least <paramref name="lower"/>.</param>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="delta">0 for Laplace noise, or the failure probability in (0, 1) for Gaussian noise.</param>
    /// <param name="random">The random source; the OS CSPRNG when null.</param>
    /// <returns>The noisy mean, within the bounds, and the budget spent.</returns>
    /// <exception cref="ArgumentException">The bounds are not finite or lower exceeds upper; epsilon or delta is out of range.</exception>
    /// <remarks>
    /// The budget splits evenly: a noisy count with (epsilon/2, delta/2) and a noisy sum of the values centred on the
    /// bounds' midpoint (sensitivity (upper - lower) / 2) with (epsilon/2, delta/2), as Google's BoundedMean does. The
    /// mean is midpoint + sum / max(count, 1), clamped to the bounds (post-processing).
    /// </remarks>
    public static DpRelease<double> Mean(
        ReadOnlySpan<double> values, double lower, double upper, double epsilon, double delta = 0, IRandomSource? random = null) =>
        MeanCore(values, 1, lower, upper, epsilon, delta, random);

    /// <summary>The mean of the bounded values clamped to [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    /// <param name="contributions">The bounded values.</param>
    /// <param name="lower">The declared lower bound; finite.</param>
    /// <param name="upper">The declared upper bound; finite, at least <paramref name="lower"/>.</param>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="delta">0 for Laplace noise, or the failure probability in (0, 1) for Gaussian noise.</param>
    /// <param name="random">The random source; the OS CSPRNG when null.</param>
    /// <returns>The noisy mean and the budget spent; the budget splits as in the span overload.</returns>
    /// <exception cref="ArgumentException">The bounds are not finite or lower exceeds upper; epsilon or delta is out of range.</exception>
    public static DpRelease<double> Mean(
        UserContributions contributions, double lower, double upper, double epsilon, double delta = 0, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        return MeanCore(contributions.Values, contributions.MaxContributionsPerUser, lower, upper, epsilon, delta, random);
    }

    /// <summary>The (population) variance of the values clamped to [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    /// <param name="values">The column; each row is one user.</param>
    /// <param name="lower">The declared lower bound; finite.</param>
    /// <param name="upper">The declared upper bound; finite, at least <paramref name="lower"/>.</param>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="delta">0 for Laplace noise, or the failure probability in (0, 1) for Gaussian noise.</param>
    /// <param name="random">The random source; the OS CSPRNG when null.</param>
    /// <returns>The noisy variance, in [0, ((upper - lower) / 2)^2], and the budget spent.</returns>
    /// <exception cref="ArgumentException">The bounds are not finite or lower exceeds upper; epsilon or delta is out of range.</exception>
    /// <remarks>
    /// The budget splits in three equal parts: a noisy count, a noisy sum of y = x - midpoint (sensitivity h = (upper -
    /// lower) / 2) and a noisy sum of y^2 - h^2/2 (sensitivity h^2/2). The variance is E[y^2] - E[y]^2 from them,
    /// clamped to [0, h^2].
    /// </remarks>
    public static DpRelease<double> Variance(
        ReadOnlySpan<double> values, double lower, double upper, double epsilon, double delta = 0, IRandomSource? random = null) =>
        VarianceCore(values, 1, lower, upper, epsilon, delta, random);

    /// <summary>The variance of the bounded values clamped to [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    /// <param name="contributions">The bounded values.</param>
    /// <param name="lower">The declared lower bound; finite.</param>
    /// <param name="upper">The declared upper bound; finite, at least <paramref name="lower"/>.</param>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="delta">0 for Laplace noise, or the failure probability in (0, 1) for Gaussian noise.</param>
    /// <param name="random">The random source; the OS CSPRNG when null.</param>
    /// <returns>The noisy variance and the budget spent; the budget splits as in the span overload.</returns>
    /// <exception cref="ArgumentException">The bounds are not finite or lower exceeds upper; epsilon or delta is out of range.</exception>
    public static DpRelease<double> Variance(
        UserContributions contributions, double lower, double upper, double epsilon, double delta = 0, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        return VarianceCore(contributions.Values, contributions.MaxContributionsPerUser, lower, upper, epsilon, delta, random);
    }

    private static DpRelease<long> CountCore(int count, int maxContributions, double epsilon, double delta, IRandomSource? random)
    {
        AggregateArguments.Common(epsilon, delta);
        var noisy = BoundedSums.NoisyCount(count, maxContributions, epsilon, delta, random ?? CryptoRandomSource.Instance);
        return new DpRelease<long>(noisy, new PrivacyParameters(epsilon, delta));
    }

    private static DpRelease<double> SumCore(
        ReadOnlySpan<double> values, int maxContributions, double lower, double upper, double epsilon, double delta, IRandomSource? random)
    {
        AggregateArguments.Bounds(lower, upper);
        AggregateArguments.Common(epsilon, delta);
        var noisy = BoundedSums.NoisySum(values, lower, upper, maxContributions, epsilon, delta, random ?? CryptoRandomSource.Instance);
        return new DpRelease<double>(noisy, new PrivacyParameters(epsilon, delta));
    }

    private static DpRelease<double> MeanCore(
        ReadOnlySpan<double> values, int maxContributions, double lower, double upper, double epsilon, double delta, IRandomSource? random)
    {
        AggregateArguments.Bounds(lower, upper);
        AggregateArguments.Common(epsilon, delta);
        random ??= CryptoRandomSource.Instance;
        var (mid, half) = Centre(lower, upper);
        var centred = Centred(values, lower, upper, mid, half, squared: false, out var count);
        var noisyCount = BoundedSums.NoisyCount(count, maxContributions, epsilon / 2, delta / 2, random);
        var noisySum = BoundedSums.NoisySum(centred, -half, half, maxContributions, epsilon / 2, delta / 2, random);
        var mean = Math.Clamp(mid + (noisySum / Math.Max(noisyCount, 1)), lower, upper);
        return new DpRelease<double>(mean, new PrivacyParameters(epsilon, delta));
    }

    private static DpRelease<double> VarianceCore(
        ReadOnlySpan<double> values, int maxContributions, double lower, double upper, double epsilon, double delta, IRandomSource? random)
    {
        AggregateArguments.Bounds(lower, upper);
        AggregateArguments.Common(epsilon, delta);
        random ??= CryptoRandomSource.Instance;
        var (mid, half) = Centre(lower, upper);
        var halfSquared = half * half;
        var centred = Centred(values, lower, upper, mid, half, squared: false, out var count);
        var squares = Centred(values, lower, upper, mid, half, squared: true, out _);
        var noisyCount = Math.Max(BoundedSums.NoisyCount(count, maxContributions, epsilon / 3, delta / 3, random), 1);
        var noisySum = BoundedSums.NoisySum(centred, -half, half, maxContributions, epsilon / 3, delta / 3, random);
        var noisySquares = BoundedSums.NoisySum(squares, -halfSquared / 2, halfSquared / 2, maxContributions, epsilon / 3, delta / 3, random);
        var meanY = noisySum / noisyCount;
        var meanY2 = (noisySquares / noisyCount) + (halfSquared / 2);
        var variance = Math.Clamp(meanY2 - (meanY * meanY), 0, halfSquared);
        return new DpRelease<double>(variance, new PrivacyParameters(epsilon, delta));
    }

    private static (double Mid, double Half) Centre(double lower, double upper) =>
        ((lower / 2) + (upper / 2), (upper / 2) - (lower / 2));

    /// <summary>y = clamp(x) - mid in [-half, half], or y^2 - half^2/2 in [-half^2/2, half^2/2]; NaN rows dropped.</summary>
    private static double[] Centred(
        ReadOnlySpan<double> values, double lower, double upper, double mid, double half, bool squared, out long count)
    {
        var result = new List<double>(values.Length);
        var halfSquared = half * half;
        foreach (var v in values)
        {
            if (double.IsNaN(v))
            {
                continue;
            }

            var y = Math.Clamp(Math.Clamp(v, lower, upper) - mid, -half, half);
            result.Add(squared ? Math.Clamp(y * y, 0, halfSquared) - (halfSquared / 2) : y);
        }

        count = result.Count;
        return [.. result];
    }
}
