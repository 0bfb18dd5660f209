namespace Tessera.Training;

/// <summary>What one training epoch did.</summary>
/// <param name="MeanLoss">The sample-weighted mean loss.</param>
/// <param name="Samples">Samples seen.</param>
/// <param name="Elapsed">Wall-clock time.</param>
public sealed record EpochResult(double MeanLoss, long Samples, TimeSpan Elapsed);
