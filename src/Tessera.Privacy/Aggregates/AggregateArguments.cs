namespace Tessera.Privacy.Aggregates;

/// <summary>Argument checks shared by the aggregates; each names the offending parameter.</summary>
internal static class AggregateArguments
{
    public static void Epsilon(double epsilon)
    {
        if (!double.IsFinite(epsilon) || epsilon <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be positive and finite.");
        }
    }

    public static void Delta(double delta)
    {
        if (!double.IsFinite(delta) || delta < 0 || delta >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Delta must lie in [0, 1); 0 selects Laplace noise.");
        }
    }

    public static void Bounds(double lower, double upper)
    {
        if (!double.IsFinite(lower))
        {
            throw new ArgumentOutOfRangeException(nameof(lower), lower, "The lower bound must be finite.");
        }

        if (!double.IsFinite(upper))
        {
            throw new ArgumentOutOfRangeException(nameof(upper), upper, "The upper bound must be finite.");
        }

        if (lower > upper)
        {
            throw new ArgumentException($"The lower bound {lower} exceeds the upper bound {upper}.", nameof(lower));
        }
    }

    public static void Common(double epsilon, double delta)
    {
        Epsilon(epsilon);
        Delta(delta);
    }
}
