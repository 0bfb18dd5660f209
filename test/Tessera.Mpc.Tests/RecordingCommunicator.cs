using System.Collections.Concurrent;
using Tessera.Mpc.Communication;

namespace Tessera.Mpc.Tests;

/// <summary>One message as the sender handed it over.</summary>
internal sealed record SentMessage(int From, int To, int Bytes, string Operation);

/// <summary>Wraps a communicator and logs every send (with its operation label) into a shared log.</summary>
internal sealed class RecordingCommunicator(ICommunicator inner, ConcurrentQueue<SentMessage> log) : ICommunicator
{
    private readonly Stack<string> _labels = new();

    public int Rank => inner.Rank;

    public int Parties => inner.Parties;

    public TimeSpan Timeout => inner.Timeout;

    public CommunicationStatistics Statistics => inner.Statistics;

    public IDisposable BeginOperation(string operation)
    {
        var scope = inner.BeginOperation(operation);
        lock (_labels)
        {
            _labels.Push(operation);
        }

        return new Scope(this, scope);
    }

    public void CountRound() => inner.CountRound();

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    public ValueTask<byte[]> ReceiveAsync(int from, CancellationToken cancellationToken = default) =>
        inner.ReceiveAsync(from, cancellationToken);

    public ValueTask SendAsync(int to, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        string label;
        lock (_labels)
        {
            label = _labels.Count == 0 ? string.Empty : _labels.Peek();
        }

        log.Enqueue(new SentMessage(Rank, to, payload.Length, label));
        return inner.SendAsync(to, payload, cancellationToken);
    }

    private sealed class Scope(RecordingCommunicator owner, IDisposable inner) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._labels)
            {
                owner._labels.Pop();
            }

            inner.Dispose();
        }
    }
}
