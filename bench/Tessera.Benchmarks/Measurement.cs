namespace Tessera.Benchmarks;

/// <summary>One figure from one side; both sides use the same <see cref="Key"/> so the runner can pair them.</summary>
/// <param name="Key">Stable id, e.g. <c>gemm.1024.gflops</c> or <c>conv.lenet_conv1.forward_ms</c>.</param>
/// <param name="Label">What the table shows.</param>
/// <param name="Unit">GFLOP/s, ms, s or accuracy.</param>
/// <param name="Value">The figure, or null when this side could not measure it.</param>
/// <param name="Note">Why there is no figure, or a remark (best of N, wrong result).</param>
internal sealed record Measurement(string Key, string Label, string Unit, double? Value, string? Note = null)
{
    public const string GflopsUnit = "GFLOP/s";

    public const string AccuracyUnit = "accuracy";

    /// <summary>Higher is better for throughput and accuracy, lower for times.</summary>
    public bool HigherIsBetter => Unit is GflopsUnit or AccuracyUnit;

    /// <summary>One measurement per key: the best value over rounds (highest rate, shortest time), noted with the round count.</summary>
    public static IReadOnlyList<Measurement> BestPerKey(IEnumerable<Measurement> measurements)
    {
        var best = new List<Measurement>();
        foreach (var group in measurements.GroupBy(m => m.Key))
        {
            var withValue = group.Where(m => m.Value is not null).ToList();
            if (withValue.Count == 0)
            {
                best.Add(group.First());
                continue;
            }

            var pick = withValue[0].HigherIsBetter ? withValue.MaxBy(m => m.Value)! : withValue.MinBy(m => m.Value)!;
            best.Add(withValue.Count == 1 ? pick : pick with { Note = $"{pick.Note}, best of {withValue.Count} rounds".TrimStart(',', ' ') });
        }

        return best;
    }

    public static Measurement Missing(string key, string label, string unit, string why) => new(key, label, unit, null, why);
}
