using System.Diagnostics;

namespace Tessera.NodeBench;

/// <summary>Summary of a set of timed operations: count, mean and percentiles in milliseconds (nearest rank).</summary>
internal sealed record LatencyStats(int Count, double MeanMs, double P50Ms, double P90Ms, double P99Ms, double MaxMs)
{
    public static LatencyStats From(IReadOnlyCollection<long> ticks)
    {
        if (ticks.Count == 0)
        {
            return new LatencyStats(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var ms = ticks.Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        double Rank(double p) => ms[Math.Clamp((int)Math.Ceiling(p * ms.Length) - 1, 0, ms.Length - 1)];
        return new LatencyStats(ms.Length, ms.Average(), Rank(0.50), Rank(0.90), Rank(0.99), ms[^1]);
    }
}
