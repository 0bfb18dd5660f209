namespace Tessera.Mpc.Communication;

/// <summary>Bytes and rounds under one operation label; thread-safe.</summary>
public sealed class OperationCounters
{
    private long _bytesSent;
    private long _bytesReceived;
    private long _rounds;

    /// <summary>Bytes sent.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Bytes received.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Rounds.</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    internal void AddSent(long bytes) => Interlocked.Add(ref _bytesSent, bytes);

    internal void AddReceived(long bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    internal void AddRound() => Interlocked.Increment(ref _rounds);
}
