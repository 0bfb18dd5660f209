namespace Tessera.Privacy.Aggregates;

/// <summary>
/// Values grouped by user after contribution bounding: each user keeps at most
/// <see cref="MaxContributionsPerUser"/> values, chosen uniformly at random when they have more. The aggregates
/// scale their sensitivity by that bound, so a release protects whole users rather than single rows.
/// </summary>
public sealed class UserContributions
{
    private readonly double[] _values;

    private UserContributions(double[] values, int maxContributionsPerUser, int userCount)
    {
        _values = values;
        MaxContributionsPerUser = maxContributionsPerUser;
        UserCount = userCount;
    }

    /// <summary>The bounded values, all users together.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>The most values any one user contributes.</summary>
    public int MaxContributionsPerUser { get; }

    /// <summary>The number of users (not a private quantity to publish: release it only through a noisy count).</summary>
    public int UserCount { get; }

    /// <summary>Bounds each user's contributions to <paramref name="maxContributionsPerUser"/> values.</summary>
    /// <param name="valuesByUser">Each user's values, one list per user.</param>
    /// <param name="maxContributionsPerUser">The most values a user may contribute; positive.</param>
    /// <param name="random">The random source for choosing kept values; <see cref="CryptoRandomSource.Instance"/> when null.</param>
    /// <returns>The bounded contributions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="valuesByUser"/> or one user's list is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxContributionsPerUser"/> is not positive.</exception>
    public static UserContributions Bound(IEnumerable<IReadOnlyList<double>> valuesByUser, int maxContributionsPerUser, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(valuesByUser);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxContributionsPerUser);
        random ??= CryptoRandomSource.Instance;
        var kept = new List<double>();
        var users = 0;
        foreach (var user in valuesByUser)
        {
            if (user is null)
            {
                throw new ArgumentNullException(nameof(valuesByUser), $"User {users} has a null list of values.");
            }

            users++;
            if (user.Count <= maxContributionsPerUser)
            {
                kept.AddRange(user);
                continue;
            }

            // A uniform subset of size maxContributionsPerUser: the first k positions of a partial Fisher-Yates shuffle.
            var copy = user.ToArray();
            for (var k = 0; k < maxContributionsPerUser; k++)
            {
                var j = k + random.NextInt(copy.Length - k);
                (copy[k], copy[j]) = (copy[j], copy[k]);
                kept.Add(copy[k]);
            }
        }

        return new UserContributions([.. kept], maxContributionsPerUser, users);
    }
}
