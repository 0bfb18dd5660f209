namespace Tessera.NodeBench;

/// <summary>Many clients, each with its own HTTP connection and session, running operations for a fixed time.</summary>
internal sealed record ConcurrentResult(string Operation, int Clients, double LoginAllSeconds, double Seconds, int Operations, int Errors,
    string? FirstError, double OpsPerSecond, LatencyStats Latency);
