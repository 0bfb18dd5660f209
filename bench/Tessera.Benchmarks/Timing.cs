using System.Diagnostics;

namespace Tessera.Benchmarks;

/// <summary>Best and median of repeated Stopwatch timings.</summary>
internal sealed record Timing(double BestMs, double MedianMs, int Reps)
{
    /// <summary>
    /// Runs <paramref name="action"/> <paramref name="warmup"/> times untimed, then <paramref name="reps"/> times timed.
    /// A run slower than <paramref name="slowSeconds"/> ends the measurement early: the machine is shared and a
    /// naive kernel at 2048 takes tens of seconds, where more repetitions tell nothing new. The first (warm-up) run
    /// is then kept as the only sample.
    /// </summary>
    public static Timing Measure(Action action, int warmup, int reps, double slowSeconds = 2.0)
    {
        var samples = new List<double>();
        for (var i = 0; i < warmup; i++)
        {
            var warm = Stopwatch.StartNew();
            action();
            if (warm.Elapsed.TotalSeconds > slowSeconds)
            {
                return From([warm.Elapsed.TotalMilliseconds]);
            }
        }

        for (var i = 0; i < reps; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            action();
            samples.Add(stopwatch.Elapsed.TotalMilliseconds);
            if (stopwatch.Elapsed.TotalSeconds > slowSeconds)
            {
                break;
            }
        }

        return From(samples);
    }

    private static Timing From(IReadOnlyList<double> samples)
    {
        var sorted = samples.Order().ToArray();
        var median = sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return new Timing(sorted[0], median, sorted.Length);
    }
}
