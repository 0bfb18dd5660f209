namespace Tessera.NodeBench;

/// <summary>Everything one run measured, as printed and as written by <c>--json</c>.</summary>
internal sealed class BenchResult
{
    public string StartedAt { get; set; } = "";

    public string Machine { get; set; } = "";

    public string Runtime { get; set; } = "";

    public string LoadAverageBefore { get; set; } = "";

    public string LoadAverageAfter { get; set; } = "";

    public bool Quick { get; set; }

    public double NodeStartSeconds { get; set; }

    public int DatasetRows { get; set; }

    public double OwnerLoginMs { get; set; }

    public List<SequentialResult> Sequential { get; } = [];

    public ConcurrentResult? Concurrent { get; set; }

    public UploadResult? Upload { get; set; }

    public List<MemoryPoint> Memory { get; } = [];
}

/// <summary>One kind of operation run one after another by one client.</summary>
internal sealed record SequentialResult(string Name, string What, int HttpRequests, int Warmup, LatencyStats Latency);

/// <summary>Many clients, each with its own HTTP connection and session, running operations for a fixed time.</summary>
internal sealed record ConcurrentResult(string Operation, int Clients, double LoginAllSeconds, double Seconds, int Operations, int Errors,
    string? FirstError, double OpsPerSecond, LatencyStats Latency);

/// <summary>The streamed publication of a large CSV dataset.</summary>
internal sealed record UploadResult(long Bytes, long Rows, double GenerateSeconds, double SendSeconds, double SendMBps, double ReadySeconds,
    double ReadyMBps, string Status);

/// <summary>The node's resident set at one moment (or the largest in a phase), and its peak so far (VmHWM).</summary>
internal sealed record MemoryPoint(string When, double RssMiB, double PeakSoFarMiB);
