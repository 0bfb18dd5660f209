namespace Tessera.Mpc.Communication;

/// <summary>
/// An <see cref="ICommunicator"/> over TCP with TLS 1.3 and mutual certificate authentication, for parties (and a
/// dealer) in separate processes or on separate machines. Create it with <see cref="ConnectAsync(TcpCommunicatorOptions, CancellationToken)"/>, which builds the
/// full mesh: every pair of ranks shares exactly one connection, which the higher rank dials and the lower rank
/// accepts on its endpoint.
/// </summary>
/// <remarks>
/// <para>Frames are a 4-byte little-endian payload length followed by the payload; <see cref="CommunicationStatistics"/>
/// counts payload plus these 4 bytes (not the TLS records' overhead, about 22 bytes per 16 KiB).</para>
/// <para>Each peer has a background reader that queues its messages, so sends and receives with different peers never
/// wait on each other. A peer whose connection ends or fails makes every pending and later call for it throw
/// <see cref="PartyDisconnectedException"/> at once (messages it sent before are still delivered first); a receive that
/// waits longer than <see cref="Timeout"/> throws it too.</para>
/// <para>Thread safety: calls for different peers may run concurrently. Concurrent sends to one peer are serialized
/// (their order is the order they take the lock); concurrent receives from one peer get messages in an unspecified
/// split. <see cref="BeginOperation"/> labels the current asynchronous flow (an <see cref="AsyncLocal{T}"/>), so
/// open and dispose its scope in the same async method, as with <c>using</c>.</para>
/// </remarks>
public sealed partial class TcpCommunicator : ICommunicator
{
    private readonly TcpPeerConnection?[] _peers;
    private readonly AsyncLocal<string?> _operation = new();
    private int _disposed;

    private TcpCommunicator(int rank, TimeSpan timeout, TcpPeerConnection?[] peers)
    {
        Rank = rank;
        Timeout = timeout;
        _peers = peers;
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Parties => _peers.Length;

    /// <inheritdoc/>
    public TimeSpan Timeout { get; }

    /// <inheritdoc/>
    public CommunicationStatistics Statistics { get; } = new();

    private string CurrentOperation => _operation.Value ?? string.Empty;

    /// <inheritdoc/>
    public async ValueTask SendAsync(int to, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var peer = Peer(to, nameof(to));
        await peer.SendAsync(payload, Timeout, cancellationToken).ConfigureAwait(false);
        Statistics.AddSent(CurrentOperation, payload.Length + TcpPeerConnection.HeaderBytes);
    }

    /// <inheritdoc/>
    public async ValueTask<byte[]> ReceiveAsync(int from, CancellationToken cancellationToken = default)
    {
        var peer = Peer(from, nameof(from));
        var message = await peer.ReceiveAsync(Timeout, cancellationToken).ConfigureAwait(false);
        Statistics.AddReceived(CurrentOperation, message.Length + TcpPeerConnection.HeaderBytes);
        return message;
    }

    /// <inheritdoc/>
    public IDisposable BeginOperation(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var scope = new OperationScope(_operation, _operation.Value);
        _operation.Value = operation;
        return scope;
    }

    /// <inheritdoc/>
    public void CountRound() => Statistics.AddRound(CurrentOperation);

    /// <summary>Closes every connection: pending calls throw <see cref="PartyDisconnectedException"/>, later ones <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A task that completes when the connections are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Task.WhenAll(_peers.Where(p => p is not null).Select(p => p!.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    private TcpPeerConnection Peer(int rank, string parameterName)
    {
        if ((uint)rank >= (uint)_peers.Length || rank == Rank)
        {
            throw new ArgumentOutOfRangeException(
                parameterName, rank, $"The peer must be a rank in 0..{_peers.Length - 1} other than this party's rank {Rank}.");
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _peers[rank]!;
    }

    private sealed class OperationScope(AsyncLocal<string?> label, string? previous) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                label.Value = previous;
            }
        }
    }
}
