using System.Collections.Concurrent;

namespace Tessera.Mpc.Communication;

/// <summary>Bytes and rounds of one party, in all and per operation label; thread-safe.</summary>
public sealed class CommunicationStatistics
{
    private readonly ConcurrentDictionary<string, OperationCounters> _byOperation = new(StringComparer.Ordinal);
    private long _bytesSent;
    private long _bytesReceived;
    private long _rounds;

    /// <summary>Bytes this party sent.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Bytes this party received.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Rounds this party counted.</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    /// <summary>The counters per operation label (traffic outside any label is under "").</summary>
    public IReadOnlyDictionary<string, OperationCounters> ByOperation => _byOperation;

    /// <summary>Records bytes sent under <paramref name="operation"/>.</summary>
    /// <param name="operation">The label.</param>
    /// <param name="bytes">How many.</param>
    public void AddSent(string operation, long bytes)
    {
        Interlocked.Add(ref _bytesSent, bytes);
        _byOperation.GetOrAdd(operation, _ => new OperationCounters()).AddSent(bytes);
    }

    /// <summary>Records bytes received under <paramref name="operation"/>.</summary>
    /// <param name="operation">The label.</param>
    /// <param name="bytes">How many.</param>
    public void AddReceived(string operation, long bytes)
    {
        Interlocked.Add(ref _bytesReceived, bytes);
        _byOperation.GetOrAdd(operation, _ => new OperationCounters()).AddReceived(bytes);
    }

    /// <summary>Records one round under <paramref name="operation"/>.</summary>
    /// <param name="operation">The label.</param>
    public void AddRound(string operation)
    {
        Interlocked.Increment(ref _rounds);
        _byOperation.GetOrAdd(operation, _ => new OperationCounters()).AddRound();
    }
}
