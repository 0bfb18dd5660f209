using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Tessera.Mpc.Communication;

/// <summary>
/// One authenticated stream to one peer: length-prefixed frames (a 4-byte little-endian payload length, then the
/// payload), written under a lock and read by a background loop into an unbounded queue, so that traffic with one
/// peer never waits on another. The first failure (end of stream, I/O error, bad frame, timed-out write) is kept and
/// every later call for this peer throws it as a <see cref="PartyDisconnectedException"/>.
/// </summary>
/// <remarks>
/// The queue is unbounded because MPC protocols send a round's messages and then receive them; a bounded queue would
/// let a slow reader stall a sender that is not at fault. Messages queued before the peer went away are still delivered.
/// </remarks>
internal sealed class TcpPeerConnection : IAsyncDisposable
{
    /// <summary>Bytes of framing per message (the length prefix).</summary>
    public const int HeaderBytes = 4;

    // Small messages go out as one write (one TLS record) with their header; larger ones as two writes, which
    // costs one extra small record but no copy of the payload.
    private const int CoalesceLimit = 64 * 1024;

    private readonly Stream _stream;
    private readonly Socket? _socket;
    private readonly int _maxMessageBytes;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Channel<byte[]> _inbox = Channel.CreateUnbounded<byte[]>(
        new UnboundedChannelOptions { SingleWriter = true, SingleReader = false });
    private readonly CancellationTokenSource _closing = new();
    private Task _readLoop = Task.CompletedTask;
    private PartyDisconnectedException? _failure;
    private int _disposed;

    /// <summary>Wraps an authenticated stream; call <see cref="Start"/> to begin reading.</summary>
    /// <param name="peerRank">The peer's rank, for messages.</param>
    /// <param name="stream">The stream (owned and disposed by this object).</param>
    /// <param name="socket">The underlying socket, shut down on dispose; null when there is none.</param>
    /// <param name="maxMessageBytes">The largest frame accepted.</param>
    public TcpPeerConnection(int peerRank, Stream stream, Socket? socket, int maxMessageBytes)
    {
        PeerRank = peerRank;
        _stream = stream;
        _socket = socket;
        _maxMessageBytes = maxMessageBytes;
    }

    /// <summary>The peer's rank.</summary>
    public int PeerRank { get; }

    /// <summary>Why the connection is unusable, or null while it works.</summary>
    public PartyDisconnectedException? Failure => Volatile.Read(ref _failure);

    /// <summary>Starts the background reader.</summary>
    public void Start() => _readLoop = Task.Run(ReadLoopAsync);

    /// <summary>Writes one frame; fails the connection if the write fails or takes longer than <paramref name="timeout"/>.</summary>
    /// <param name="payload">The message.</param>
    /// <param name="timeout">The longest the write may take, including the wait for a concurrent send.</param>
    /// <param name="cancellationToken">Cancels the send (which leaves the stream unusable if it was cut mid-frame).</param>
    /// <returns>A task that completes when the frame is written.</returns>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (payload.Length > _maxMessageBytes)
        {
            throw new ArgumentException(
                $"The message to rank {PeerRank} has {payload.Length} bytes, above the limit of {_maxMessageBytes} (MaxMessageBytes).",
                nameof(payload));
        }

        ThrowIfFailed();

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        timeoutSource.CancelAfter(timeout);
        var token = timeoutSource.Token;
        try
        {
            await _sendLock.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowIfFailed();
            throw new PartyDisconnectedException(PeerRank, $"Rank {PeerRank} did not take a message within {timeout.TotalSeconds:0.###} s.");
        }

        try
        {
            ThrowIfFailed();
            if (payload.Length <= CoalesceLimit)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(HeaderBytes + payload.Length);
                try
                {
                    BinaryPrimitives.WriteInt32LittleEndian(buffer, payload.Length);
                    payload.Span.CopyTo(buffer.AsSpan(HeaderBytes));
                    await _stream.WriteAsync(buffer.AsMemory(0, HeaderBytes + payload.Length), token).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            else
            {
                var header = new byte[HeaderBytes];
                BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
                await _stream.WriteAsync(header, token).ConfigureAwait(false);
                await _stream.WriteAsync(payload, token).ConfigureAwait(false);
            }

            await _stream.FlushAsync(token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A write cut mid-frame leaves the peer unable to find the next frame: the connection is done either way.
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                Fail(new PartyDisconnectedException(PeerRank, $"A send to rank {PeerRank} was cancelled mid-message.", e));
                throw;
            }

            var reason = e is OperationCanceledException && !_closing.IsCancellationRequested
                ? $"Rank {PeerRank} did not take a message within {timeout.TotalSeconds:0.###} s."
                : $"Sending to rank {PeerRank} failed: {e.Message}";
            var failure = Fail(new PartyDisconnectedException(PeerRank, reason, e));
            throw new PartyDisconnectedException(PeerRank, failure.Message, e);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Takes the next message, waiting at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The message.</returns>
    public async ValueTask<byte[]> ReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_inbox.Reader.TryRead(out var ready))
        {
            return ready;
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            return await _inbox.Reader.ReadAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PartyDisconnectedException(PeerRank, $"Rank {PeerRank} sent nothing within {timeout.TotalSeconds:0.###} s.");
        }
        catch (ChannelClosedException e)
        {
            var failure = Failure;
            throw new PartyDisconnectedException(
                PeerRank, failure?.Message ?? $"The connection to rank {PeerRank} is closed.", failure?.InnerException ?? e);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Fail(new PartyDisconnectedException(PeerRank, $"The connection to rank {PeerRank} was closed by this party."));
        await _closing.CancelAsync().ConfigureAwait(false);
        try
        {
            // Send FIN first so that the peer reads every byte written before it sees the end.
            _socket?.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket?.Dispose();
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The loop records its own failures.
        }

        _closing.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var header = new byte[HeaderBytes];
        var token = _closing.Token;
        try
        {
            while (true)
            {
                if (!await ReadHeaderAsync(header, token).ConfigureAwait(false))
                {
                    Fail(new PartyDisconnectedException(PeerRank, $"Rank {PeerRank} closed its connection."));
                    return;
                }

                var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
                if (length > (uint)_maxMessageBytes)
                {
                    var error = new InvalidDataException(
                        $"Rank {PeerRank} announced a message of {length} bytes, above the limit of {_maxMessageBytes} (MaxMessageBytes); the connection is closed.");
                    Fail(new PartyDisconnectedException(PeerRank, error.Message, error));
                    await CloseTransportAsync().ConfigureAwait(false);
                    return;
                }

                var message = length == 0 ? [] : RecycledArrays<byte>.Rent((int)length);
                await _stream.ReadExactlyAsync(message, token).ConfigureAwait(false);
                _inbox.Writer.TryWrite(message);
            }
        }
        catch (EndOfStreamException e)
        {
            Fail(new PartyDisconnectedException(PeerRank, $"Rank {PeerRank} closed its connection in the middle of a message.", e));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException
            or InvalidOperationException or System.Security.Authentication.AuthenticationException)
        {
            Fail(new PartyDisconnectedException(PeerRank, $"The connection to rank {PeerRank} failed: {e.Message}", e));
        }
    }

    /// <summary>Reads the 4-byte header; false at a clean end of stream before its first byte.</summary>
    private async ValueTask<bool> ReadHeaderAsync(byte[] header, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < HeaderBytes)
        {
            var n = await _stream.ReadAsync(header.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (read == 0)
                {
                    return false;
                }

                throw new EndOfStreamException($"Rank {PeerRank} closed its connection in the middle of a frame header.");
            }

            read += n;
        }

        return true;
    }

    private async ValueTask CloseTransportAsync()
    {
        try
        {
            _socket?.Close();
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // Closing a broken connection.
        }
    }

    private PartyDisconnectedException Fail(PartyDisconnectedException failure)
    {
        var first = Interlocked.CompareExchange(ref _failure, failure, null) ?? failure;
        _inbox.Writer.TryComplete(first);
        return first;
    }

    private void ThrowIfFailed()
    {
        var failure = Failure;
        if (failure is not null)
        {
            throw new PartyDisconnectedException(PeerRank, failure.Message, failure.InnerException);
        }
    }
}
