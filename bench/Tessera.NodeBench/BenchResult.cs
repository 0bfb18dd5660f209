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
