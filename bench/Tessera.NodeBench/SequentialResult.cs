namespace Tessera.NodeBench;

/// <summary>One kind of operation run one after another by one client.</summary>
internal sealed record SequentialResult(string Name, string What, int HttpRequests, int Warmup, LatencyStats Latency);
