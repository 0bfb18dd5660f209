using System.Threading.Channels;

namespace Tessera.Mpc.Communication;

/// <summary>
/// An <see cref="ICommunicator"/> whose parties are tasks or threads of one process, connected by in-memory FIFO channels.
/// For tests and simulation: it counts bytes and rounds exactly as a network transport would (payload bytes only, no
/// framing), copies every payload, honours <see cref="Timeout"/>, and reports a disposed peer promptly.
/// </summary>
/// <remarks>
/// Sends never block (the channels are unbounded), so a send fails only when the peer is already disposed. A receive
/// waits at most <see cref="Timeout"/>; it throws <see cref="PartyDisconnectedException"/> on timeout, and as soon as the
/// peer is disposed once the messages that peer sent before disposing have been read. One communicator is meant to be
/// used by one party's code; <see cref="SendAsync"/> and <see cref="ReceiveAsync"/> towards different peers may run
/// concurrently, and <see cref="Statistics"/> is thread-safe.
/// </remarks>
public sealed class InProcessCommunicator : ICommunicator
{
    private readonly InProcessHub _hub;
    private volatile string _operation = string.Empty;

    private InProcessCommunicator(InProcessHub hub, int rank, TimeSpan timeout)
    {
        _hub = hub;
        Rank = rank;
        Timeout = timeout;
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Parties => _hub.Parties;

    /// <inheritdoc/>
    public TimeSpan Timeout { get; }

    /// <inheritdoc/>
    public CommunicationStatistics Statistics { get; } = new();

    /// <summary>Creates <paramref name="parties"/> connected communicators, the one at index i having rank i.</summary>
    /// <param name="parties">How many ranks (including a dealer's, if any); at least 2.</param>
    /// <param name="timeout">How long a receive may wait; positive (or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>).</param>
    /// <returns>One communicator per rank.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 parties, or a timeout that is neither positive nor infinite.</exception>
    public static IReadOnlyList<ICommunicator> CreateGroup(int parties, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parties, 2);
        if (timeout <= TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive or infinite.");
        }

        var hub = new InProcessHub(parties);
        var group = new ICommunicator[parties];
        for (var rank = 0; rank < parties; rank++)
        {
            group[rank] = new InProcessCommunicator(hub, rank, timeout);
        }

        return group;
    }

    /// <inheritdoc/>
    public ValueTask SendAsync(int to, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        CheckPeer(to, nameof(to));
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_hub.IsClosed(Rank), this);
        // The receiver owns its copy (and may hand it to RecycledArrays once read).
        var copy = RecycledArrays<byte>.Rent(payload.Length);
        payload.Span.CopyTo(copy);
        if (_hub.IsClosed(to) || !_hub.Link(Rank, to).Writer.TryWrite(copy))
        {
            throw new PartyDisconnectedException(to, $"Party {Rank} cannot send to party {to}: it has disconnected.");
        }

        Statistics.AddSent(_operation, payload.Length);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public async ValueTask<byte[]> ReceiveAsync(int from, CancellationToken cancellationToken = default)
    {
        CheckPeer(from, nameof(from));
        ObjectDisposedException.ThrowIf(_hub.IsClosed(Rank), this);
        var reader = _hub.Link(from, Rank).Reader;
        if (!reader.TryRead(out var message))
        {
            message = await WaitAsync(reader, from, cancellationToken).ConfigureAwait(false);
        }

        Statistics.AddReceived(_operation, message.Length);
        return message;
    }

    /// <inheritdoc/>
    public IDisposable BeginOperation(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var scope = new OperationScope(this, _operation);
        _operation = operation;
        return scope;
    }

    /// <inheritdoc/>
    public void CountRound() => Statistics.AddRound(_operation);

    /// <summary>Disconnects this rank: the peers' pending and later receives from it fail once they have read what it sent.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        _hub.Close(Rank);
        return ValueTask.CompletedTask;
    }

    private async ValueTask<byte[]> WaitAsync(ChannelReader<byte[]> reader, int from, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            return await reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PartyDisconnectedException(
                from, $"Party {Rank} received nothing from party {from} within {Timeout.TotalSeconds:0.###} s.");
        }
        catch (ChannelClosedException ex)
        {
            throw new PartyDisconnectedException(from, $"Party {from} disconnected while party {Rank} waited for it.", ex);
        }
    }

    private void CheckPeer(int peer, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(peer, paramName);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(peer, Parties, paramName);
        if (peer == Rank)
        {
            throw new ArgumentException($"Party {Rank} cannot send to or receive from itself.", paramName);
        }
    }

    private sealed class OperationScope(InProcessCommunicator owner, string previous) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner._operation = previous;
            }
        }
    }
}
