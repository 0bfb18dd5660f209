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

    public static Measurement Missing(string key, string label, string unit, string why) => new(key, label, unit, null, why);
}
