namespace Tessera.Data;

/// <summary>A progress report from a dataset fetcher.</summary>
/// <param name="Stage">The current step.</param>
/// <param name="BytesCompleted">The bytes processed so far in this step.</param>
/// <param name="BytesTotal">The bytes this step will process, or null when unknown (such as during a download by npm).</param>
/// <param name="Description">A short human-readable description of the step.</param>
public readonly record struct DataFetchProgress(DataFetchStage Stage, long BytesCompleted, long? BytesTotal, string Description);
