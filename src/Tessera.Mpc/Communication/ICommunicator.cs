namespace Tessera.Mpc.Communication;

/// <summary>
/// Point-to-point messages among the parties of one MPC session (ranks 0 .. <see cref="Parties"/> - 1; a trusted dealer,
/// when there is one, is an extra rank). Messages between two ranks arrive in the order sent. Every wait is bounded by
/// <see cref="Timeout"/>: when a peer dies or stalls, the call throws <see cref="PartyDisconnectedException"/> naming it,
/// never hangs. Bytes and rounds are counted always (<see cref="Statistics"/>).
/// </summary>
public interface ICommunicator : IAsyncDisposable
{
    /// <summary>This party's rank.</summary>
    int Rank { get; }

    /// <summary>How many ranks the session has (including a dealer's, if any).</summary>
    int Parties { get; }

    /// <summary>How long any send or receive may wait for a peer.</summary>
    TimeSpan Timeout { get; }

    /// <summary>Bytes and rounds sent and received so far, in all and per operation label.</summary>
    CommunicationStatistics Statistics { get; }

    /// <summary>Sends <paramref name="payload"/> to <paramref name="to"/> (the bytes are copied or written before the call returns).</summary>
    /// <param name="to">The receiving rank; not this one.</param>
    /// <param name="payload">The message.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the message is handed to the transport.</returns>
    /// <exception cref="PartyDisconnectedException">The peer is gone or did not take the message within <see cref="Timeout"/>.</exception>
    ValueTask SendAsync(int to, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);

    /// <summary>Receives the next message from <paramref name="from"/>.</summary>
    /// <param name="from">The sending rank; not this one.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The message's bytes (owned by the caller).</returns>
    /// <exception cref="PartyDisconnectedException">The peer is gone or sent nothing within <see cref="Timeout"/>.</exception>
    ValueTask<byte[]> ReceiveAsync(int from, CancellationToken cancellationToken = default);

    /// <summary>Labels the traffic that follows (until disposed) for <see cref="Statistics"/>, such as "mul" or "relu".</summary>
    /// <param name="operation">The operation's name.</param>
    /// <returns>A scope; disposing it restores the previous label.</returns>
    IDisposable BeginOperation(string operation);

    /// <summary>Counts one communication round (a step in which every party sends, then waits) under the current label.</summary>
    void CountRound();
}
