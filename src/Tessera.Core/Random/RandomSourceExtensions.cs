namespace Tessera;

/// <summary>Derived draws from an <see cref="IRandomSource"/>.</summary>
public static class RandomSourceExtensions
{
    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    /// <param name="source">The random source.</param>
    public static double NextDouble(this IRandomSource source) => (source.NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>) without modulo bias.</summary>
    /// <param name="source">The random source.</param>
    /// <param name="maxExclusive">The exclusive upper bound; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is not positive.</exception>
    public static int NextInt(this IRandomSource source, int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        var bound = (ulong)maxExclusive;
        var limit = ulong.MaxValue - (ulong.MaxValue % bound);
        ulong r;
        do
        {
            r = source.NextUInt64();
        }
        while (r >= limit);
        return (int)(r % bound);
    }

    /// <summary>A standard normal draw (Box-Muller); for initialisation and simulation, not for privacy noise.</summary>
    /// <param name="source">The random source.</param>
    public static double NextGaussian(this IRandomSource source)
    {
        var u1 = 1.0 - source.NextDouble();
        var u2 = source.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher-Yates).</summary>
    /// <param name="source">The random source.</param>
    /// <param name="values">The values to shuffle.</param>
    public static void Shuffle<T>(this IRandomSource source, Span<T> values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = source.NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
