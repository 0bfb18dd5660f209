namespace Tessera.NodeBench;

/// <summary>The streamed publication of a large CSV dataset.</summary>
internal sealed record UploadResult(long Bytes, long Rows, double GenerateSeconds, double SendSeconds, double SendMBps, double ReadySeconds,
    double ReadyMBps, string Status);
