namespace Tessera.Benchmarks;

/// <summary>One line of the report: the same measure on both sides.</summary>
internal sealed record ComparisonRow(string Key, string Label, string Unit, double? Tessera, double? PyTorch, string? TesseraNote, string? PyTorchNote)
{
    /// <summary>
    /// Tessera's time over PyTorch's for the same work: above 1, Tessera is slower. For GFLOP/s that is PyTorch's
    /// rate over Tessera's; accuracy has no ratio.
    /// </summary>
    public double? TimeRatio => Tessera is { } t && PyTorch is { } p && t > 0 && p > 0
        ? Unit switch
        {
            Measurement.AccuracyUnit => null,
            Measurement.GflopsUnit => p / t,
            _ => t / p,
        }
        : null;

    public static IReadOnlyList<ComparisonRow> Pair(IReadOnlyList<Measurement> tessera, IReadOnlyList<Measurement> pytorch)
    {
        var rows = new List<ComparisonRow>();
        var keys = tessera.Select(m => m.Key).Concat(pytorch.Select(m => m.Key)).Distinct();
        foreach (var key in keys)
        {
            var t = tessera.FirstOrDefault(m => m.Key == key);
            var p = pytorch.FirstOrDefault(m => m.Key == key);
            var any = (t ?? p)!;
            rows.Add(new ComparisonRow(key, t?.Label ?? any.Label, any.Unit, t?.Value, p?.Value, t?.Note, p?.Note));
        }

        return rows;
    }
}
