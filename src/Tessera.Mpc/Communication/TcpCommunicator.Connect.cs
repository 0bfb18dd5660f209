using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Mpc.Communication;

/// <content>Building the mesh: listening, dialing with retries, the TLS handshake and the rank hello.</content>
public sealed partial class TcpCommunicator
{
    // After TLS, the dialer says who it is: magic, protocol version, its rank, the session's rank count.
    // The acceptor answers magic and a status; anything but Accepted closes the connection.
    private const uint HelloMagic = 0x434D5054; // "TPMC" little-endian
    private const uint ProtocolVersion = 1;
    private const int HelloBytes = 16;
    private const int AnswerBytes = 8;

    private enum HelloStatus : uint
    {
        Accepted = 0,
        WrongIdentity = 1,
        Duplicate = 2,
        SessionMismatch = 3,
        Malformed = 4,
    }

    /// <summary>
    /// Connects this party to every other rank of the session and returns the communicator. Rank r listens on its
    /// endpoint for ranks above it and dials ranks below it, retrying refused dials until
    /// <see cref="TcpCommunicatorOptions.ConnectTimeout"/> while they start up.
    /// </summary>
    /// <param name="options">The session's endpoints, this party's rank, certificate and trusted roots, and limits.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The connected communicator.</returns>
    /// <exception cref="ArgumentException">The options are incomplete or inconsistent.</exception>
    /// <exception cref="AuthenticationException">A peer's certificate is missing, untrusted or names another rank, or a
    /// peer refused this party's certificate; the message names the rank.</exception>
    /// <exception cref="PartyDisconnectedException">A rank could not be reached, or did not connect, within the connect timeout.</exception>
    public static async Task<TcpCommunicator> ConnectAsync(TcpCommunicatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var parties = options.Parties.Count;
        var rank = options.Rank;
        var policy = new TcpTlsPolicy(options.Certificate, options.TrustedRoots);
        var peers = new TcpPeerConnection?[parties];
        using var deadline = new CancellationTokenSource(options.ConnectTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var context = new ConnectContext(options, policy, peers, deadline, linked);

        Socket? listener = null;
        var tasks = new List<Task>();
        try
        {
            if (rank < parties - 1)
            {
                listener = Listen(options.Parties[rank]);
                tasks.Add(AcceptPeersAsync(listener, context));
            }

            for (var peer = 0; peer < rank; peer++)
            {
                tasks.Add(DialAsync(peer, context));
            }

            await WhenAllOrFirstFailure(tasks, linked).ConfigureAwait(false);
            foreach (var connection in peers)
            {
                connection?.Start();
            }

            return new TcpCommunicator(rank, options.Timeout, peers);
        }
        catch
        {
            await linked.CancelAsync().ConfigureAwait(false);
            listener?.Dispose();
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            await Task.WhenAll(peers.Where(p => p is not null).Select(p => p!.DisposeAsync().AsTask())).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }
        finally
        {
            listener?.Dispose();
        }
    }

    /// <summary>Connects this party to every other rank; see <see cref="ConnectAsync(TcpCommunicatorOptions, CancellationToken)"/>.</summary>
    /// <param name="parties">Every rank's endpoint, indexed by rank.</param>
    /// <param name="rank">This party's rank.</param>
    /// <param name="certificate">This party's certificate with its private key.</param>
    /// <param name="trustedRoots">The certificate authorities peers' certificates must chain to.</param>
    /// <param name="timeout">The send and receive timeout (default 30 s).</param>
    /// <param name="connectTimeout">How long to keep dialing and waiting for peers (default 60 s).</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The connected communicator.</returns>
    /// <exception cref="ArgumentException">The arguments are incomplete or inconsistent.</exception>
    /// <exception cref="AuthenticationException">A certificate was refused on either side; the message names the rank.</exception>
    /// <exception cref="PartyDisconnectedException">A rank could not be reached, or did not connect, within the connect timeout.</exception>
    public static Task<TcpCommunicator> ConnectAsync(
        IReadOnlyList<TcpPartyEndpoint> parties,
        int rank,
        X509Certificate2 certificate,
        X509Certificate2Collection trustedRoots,
        TimeSpan? timeout = null,
        TimeSpan? connectTimeout = null,
        CancellationToken cancellationToken = default) =>
        ConnectAsync(
            new TcpCommunicatorOptions
            {
                Parties = parties,
                Rank = rank,
                Certificate = certificate,
                TrustedRoots = trustedRoots,
                Timeout = timeout ?? TcpCommunicatorOptions.DefaultTimeout,
                ConnectTimeout = connectTimeout ?? TcpCommunicatorOptions.DefaultConnectTimeout,
            },
            cancellationToken);

    /// <summary>A communicator over already-connected streams (no TLS); for tests of framing and failures.</summary>
    /// <param name="rank">This party's rank.</param>
    /// <param name="parties">The session's rank count.</param>
    /// <param name="timeout">The call timeout.</param>
    /// <param name="maxMessageBytes">The largest frame accepted.</param>
    /// <param name="streams">A stream per peer rank.</param>
    /// <returns>The communicator, its readers started.</returns>
    internal static TcpCommunicator FromStreams(int rank, int parties, TimeSpan timeout, int maxMessageBytes, IReadOnlyDictionary<int, Stream> streams)
    {
        var peers = new TcpPeerConnection?[parties];
        foreach (var (peer, stream) in streams)
        {
            peers[peer] = new TcpPeerConnection(peer, stream, socket: null, maxMessageBytes);
            peers[peer]!.Start();
        }

        return new TcpCommunicator(rank, timeout, peers);
    }

    private static async Task WhenAllOrFirstFailure(List<Task> tasks, CancellationTokenSource linked)
    {
        var remaining = new List<Task>(tasks);
        while (remaining.Count > 0)
        {
            var done = await Task.WhenAny(remaining).ConfigureAwait(false);
            remaining.Remove(done);
            if (done.IsFaulted || done.IsCanceled)
            {
                // Stop the others, then report the most telling failure: not a cancellation caused by this one.
                await linked.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(remaining.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
                var failure = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!)
                    .FirstOrDefault(e => e is not OperationCanceledException);
                if (failure is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                }

                await done.ConfigureAwait(false);
            }
        }
    }

    private static Socket Listen(TcpPartyEndpoint endpoint)
    {
        Socket socket;
        IPEndPoint local;
        if (IPAddress.TryParse(endpoint.Host, out var address))
        {
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            local = new IPEndPoint(address, endpoint.Port);
        }
        else
        {
            socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
            local = new IPEndPoint(IPAddress.IPv6Any, endpoint.Port);
        }

        try
        {
            socket.Bind(local);
            socket.Listen(64);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new PartyDisconnectedException(-1, $"This party cannot listen on {local} for its peers: {e.Message}", e);
        }
    }

    private static async Task AcceptPeersAsync(Socket listener, ConnectContext context)
    {
        var rank = context.Options.Rank;
        var expected = context.Options.Parties.Count - rank - 1;
        var handshakes = new List<Task>();
        var token = context.Linked.Token;
        try
        {
            while (context.Accepted < expected)
            {
                var acceptTask = listener.AcceptAsync(token).AsTask();
                var finished = await Task.WhenAny(acceptTask, context.AllAccepted.Task).ConfigureAwait(false);
                if (finished != acceptTask)
                {
                    _ = acceptTask.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                    break;
                }

                var socket = await acceptTask.ConfigureAwait(false);
                handshakes.Add(AcceptOneAsync(socket, context));
            }
        }
        catch (OperationCanceledException) when (context.Deadline.IsCancellationRequested)
        {
            var missing = Enumerable.Range(rank + 1, expected).Where(r => context.Peers[r] is null).ToArray();
            var refused = context.Refusals.IsEmpty ? string.Empty : $" Refused connections: {string.Join(" | ", context.Refusals)}.";
            throw new PartyDisconnectedException(
                missing.Length > 0 ? missing[0] : -1,
                $"Rank(s) {string.Join(", ", missing)} did not connect to rank {rank} at {context.Options.Parties[rank]} within " +
                $"{context.Options.ConnectTimeout.TotalSeconds:0.###} s.{refused}");
        }
        finally
        {
            await Task.WhenAll(handshakes).ConfigureAwait(false);
        }
    }

    private static async Task AcceptOneAsync(Socket socket, ConnectContext context)
    {
        var remote = socket.RemoteEndPoint?.ToString() ?? "?";
        socket.NoDelay = true;
        var refusal = new StrongBox<string?>();
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        var keep = false;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.Linked.Token);
        timeout.CancelAfter(context.Options.Timeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(context.Policy.ServerOptions(refusal), timeout.Token).ConfigureAwait(false);
            var hello = new byte[HelloBytes];
            await ssl.ReadExactlyAsync(hello, timeout.Token).ConfigureAwait(false);
            var (status, peer, reason) = CheckHello(hello, ssl, context);
            if (status == HelloStatus.Accepted)
            {
                // Two connections may claim one rank at once: only the first to take the slot is answered yes.
                var connection = new TcpPeerConnection(peer, ssl, socket, context.Options.MaxMessageBytes);
                keep = Interlocked.CompareExchange(ref context.Peers[peer], connection, null) is null;
                if (!keep)
                {
                    (status, reason) = (HelloStatus.Duplicate, $"rank {peer} is already connected");
                }
            }

            var answer = new byte[AnswerBytes];
            BinaryPrimitives.WriteUInt32LittleEndian(answer, HelloMagic);
            BinaryPrimitives.WriteUInt32LittleEndian(answer.AsSpan(4), (uint)status);
            await ssl.WriteAsync(answer, timeout.Token).ConfigureAwait(false);
            await ssl.FlushAsync(timeout.Token).ConfigureAwait(false);
            if (status != HelloStatus.Accepted)
            {
                context.Refusals.Enqueue($"{remote}: {reason}");
                return;
            }

            if (Interlocked.Increment(ref context.Accepted) == context.Options.Parties.Count - context.Options.Rank - 1)
            {
                context.AllAccepted.TrySetResult();
            }
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException or OperationCanceledException)
        {
            var why = refusal.Value ?? e.Message;
            context.Refusals.Enqueue($"{remote}: {why}");
        }
        finally
        {
            if (!keep)
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static (HelloStatus Status, int Peer, string Reason) CheckHello(byte[] hello, SslStream ssl, ConnectContext context)
    {
        var options = context.Options;
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(hello);
        var version = BinaryPrimitives.ReadUInt32LittleEndian(hello.AsSpan(4));
        var peer = BinaryPrimitives.ReadInt32LittleEndian(hello.AsSpan(8));
        var parties = BinaryPrimitives.ReadInt32LittleEndian(hello.AsSpan(12));
        if (magic != HelloMagic || version != ProtocolVersion)
        {
            return (HelloStatus.Malformed, peer, "it did not speak this protocol (bad hello)");
        }

        if (parties != options.Parties.Count || peer <= options.Rank || peer >= options.Parties.Count)
        {
            return (HelloStatus.SessionMismatch, peer,
                $"it said it is rank {peer} of {parties}, which does not dial rank {options.Rank} of a {options.Parties.Count}-rank session");
        }

        var certificate = ssl.RemoteCertificate as System.Security.Cryptography.X509Certificates.X509Certificate2;
        var name = options.Parties[peer].Name;
        if (certificate is null || !TcpTlsPolicy.Names(certificate, name))
        {
            return (HelloStatus.WrongIdentity, peer,
                $"it said it is rank {peer}, but its certificate '{certificate?.Subject}' does not name '{name}'");
        }

        if (context.Peers[peer] is not null)
        {
            return (HelloStatus.Duplicate, peer, $"rank {peer} is already connected");
        }

        return (HelloStatus.Accepted, peer, string.Empty);
    }

    private static async Task DialAsync(int peer, ConnectContext context)
    {
        var endpoint = context.Options.Parties[peer];
        var token = context.Linked.Token;
        var delay = TimeSpan.FromMilliseconds(25);
        string? lastError = null;
        while (true)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint.Host, endpoint.Port, token).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                lastError = e.Message;
                try
                {
                    await Task.Delay(delay, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (context.Deadline.IsCancellationRequested)
                {
                    throw Unreachable(peer, endpoint, context, lastError);
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(500).Ticks));
                continue;
            }
            catch (OperationCanceledException) when (context.Deadline.IsCancellationRequested)
            {
                socket.Dispose();
                throw Unreachable(peer, endpoint, context, lastError);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            context.Peers[peer] = await DialHandshakeAsync(peer, socket, context).ConfigureAwait(false);
            return;
        }
    }

    private static async Task<TcpPeerConnection> DialHandshakeAsync(int peer, Socket socket, ConnectContext context)
    {
        var options = context.Options;
        var endpoint = options.Parties[peer];
        var refusal = new StrongBox<string?>();
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.Linked.Token);
        timeout.CancelAfter(options.Timeout);
        var stage = "the TLS handshake";
        try
        {
            await ssl.AuthenticateAsClientAsync(context.Policy.ClientOptions(endpoint.Name, refusal), timeout.Token).ConfigureAwait(false);
            stage = "the rank hello";
            var hello = new byte[HelloBytes];
            BinaryPrimitives.WriteUInt32LittleEndian(hello, HelloMagic);
            BinaryPrimitives.WriteUInt32LittleEndian(hello.AsSpan(4), ProtocolVersion);
            BinaryPrimitives.WriteInt32LittleEndian(hello.AsSpan(8), options.Rank);
            BinaryPrimitives.WriteInt32LittleEndian(hello.AsSpan(12), options.Parties.Count);
            await ssl.WriteAsync(hello, timeout.Token).ConfigureAwait(false);
            await ssl.FlushAsync(timeout.Token).ConfigureAwait(false);
            var answer = new byte[AnswerBytes];
            await ssl.ReadExactlyAsync(answer, timeout.Token).ConfigureAwait(false);
            var status = BinaryPrimitives.ReadUInt32LittleEndian(answer) == HelloMagic
                ? (HelloStatus)BinaryPrimitives.ReadUInt32LittleEndian(answer.AsSpan(4))
                : HelloStatus.Malformed;
            if (status == HelloStatus.Accepted)
            {
                return new TcpPeerConnection(peer, ssl, socket, options.MaxMessageBytes);
            }

            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new AuthenticationException($"Rank {peer} at {endpoint} refused rank {options.Rank}: {Describe(status)}.");
        }
        catch (Exception e) when (e is IOException or SocketException
            || (e is AuthenticationException && !e.Message.StartsWith($"Rank {peer} ", StringComparison.Ordinal)))
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            // In TLS 1.3 the server checks the client's certificate after the client's side of the handshake is done,
            // so a refusal of this party's certificate shows up as the connection ending before the hello is answered.
            var why = refusal.Value is not null
                ? $"rank {peer}'s certificate was refused: {refusal.Value}"
                : $"rank {peer} ended the connection during {stage}; it probably refused this party's certificate " +
                  $"(is it issued by the session's CA for '{options.Parties[options.Rank].Name}'?): {e.Message}";
            throw new AuthenticationException($"Connecting rank {options.Rank} to rank {peer} at {endpoint} failed: {why}", e);
        }
        catch (OperationCanceledException) when (!context.Linked.IsCancellationRequested || context.Deadline.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new PartyDisconnectedException(peer, $"Rank {peer} at {endpoint} did not complete {stage} within the timeout.");
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static string Describe(HelloStatus status) => status switch
    {
        HelloStatus.WrongIdentity => "this party's certificate does not name its rank",
        HelloStatus.Duplicate => "this rank is already connected",
        HelloStatus.SessionMismatch => "the session's ranks differ (check the party lists)",
        HelloStatus.Malformed => "bad hello",
        _ => $"unknown answer {(uint)status}",
    };

    private static PartyDisconnectedException Unreachable(int peer, TcpPartyEndpoint endpoint, ConnectContext context, string? lastError) =>
        new(peer, $"Rank {context.Options.Rank} could not reach rank {peer} at {endpoint} within " +
            $"{context.Options.ConnectTimeout.TotalSeconds:0.###} s: {lastError ?? "no answer"}.");

    private sealed class ConnectContext(
        TcpCommunicatorOptions options,
        TcpTlsPolicy policy,
        TcpPeerConnection?[] peers,
        CancellationTokenSource deadline,
        CancellationTokenSource linked)
    {
#pragma warning disable SA1401, CA1051 // A counter updated with Interlocked.
        public int Accepted;
#pragma warning restore SA1401, CA1051

        public TcpCommunicatorOptions Options { get; } = options;

        public TcpTlsPolicy Policy { get; } = policy;

        public TcpPeerConnection?[] Peers { get; } = peers;

        public CancellationTokenSource Deadline { get; } = deadline;

        public CancellationTokenSource Linked { get; } = linked;

        public ConcurrentQueue<string> Refusals { get; } = new();

        public TaskCompletionSource AllAccepted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
