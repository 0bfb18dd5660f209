using Tessera.Mpc.Communication;
using Tessera.Mpc.Randomness;

namespace Tessera.Mpc.Providers;

/// <summary>
/// A computing party's side of the <see cref="TrustedDealer"/>: it derives its shares of a and b (and of c, except the
/// request's receiver) from the seed the dealer gave it at set-up, and the receiver gets its share of c from the dealer.
/// Request number r (counted from 0 by every party and the dealer alike; every call is one request) has receiver
/// party r mod N, so the dealer's traffic is spread over the parties.
/// In <see cref="DealerMode.OnRequest"/> (the default) party 0 also tells the dealer what comes next (kind and sizes,
/// 13 bytes per request); in <see cref="DealerMode.Scripted"/> no party sends the dealer anything, ever.
/// </summary>
/// <remarks>
/// Traffic per request, from the dealer to that request's receiver only: an elementwise triple of n elements, 8n bytes;
/// an m x k x n matmul triple, 8mn bytes; n truncation pairs by s, (8 + ceil(s/8))n bytes; n squaring truncation pairs, (16 + 2 ceil(s/8))n bytes; n bit
/// products, 16n bytes. Counted under the operation labels "beaver" and
/// "truncation-pair" (party 0's announcements under "dealer-request"). Not thread-safe: a party issues its requests one
/// at a time, in the same order on every party. An operation announced ahead
/// (<see cref="AnnounceAheadAsync"/>) must make exactly the announced requests; one that fails midway leaves the dealer
/// ahead of the parties, and the session should be discarded.
/// </remarks>
public sealed partial class DealerCorrelationProvider : ICorrelationProvider
{
    private readonly Queue<DealerRequest> _announcedAhead = new();
    private AesCtrPrg? _stream;
    private ICommunicator? _communicator;
    private int _dealer;
    private int _rank;
    private int _parties;
    private long _requests;
    private bool _announces;
    private bool _closed;

    /// <summary>Creates the provider; pass it to <see cref="MpcSession.CreateAsync"/>.</summary>
    /// <param name="mode">How the dealer learns the requests: <see cref="DealerMode.OnRequest"/> unless the dealer runs a script.</param>
    public DealerCorrelationProvider(DealerMode mode = DealerMode.OnRequest)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown dealer mode.");
        }

        Mode = mode;
    }

    /// <summary>How the dealer learns the requests.</summary>
    public DealerMode Mode { get; }

    /// <inheritdoc/>
    public async ValueTask InitializeAsync(MpcSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (_stream is not null)
        {
            throw new InvalidOperationException("This provider is already initialised; create one per session.");
        }

        if (!session.HasDealer)
        {
            throw new InvalidOperationException(
                $"The session's communicator has {session.Communicator.Parties} ranks for {session.Parties} parties; "
                + "a dealer needs one more rank (the last).");
        }

        _communicator = session.Communicator;
        _dealer = session.DealerRank;
        _rank = session.Rank;
        _parties = session.Parties;
        _announces = Mode == DealerMode.OnRequest && session.Rank == 0;
        using (_communicator.BeginOperation("setup"))
        {
            var seed = await _communicator.ReceiveAsync(_dealer, cancellationToken).ConfigureAwait(false);
            if (seed.Length != AesCtrPrg.SeedBytes)
            {
                throw new InvalidDataException($"The dealer sent a {seed.Length}-byte seed; a seed has {AesCtrPrg.SeedBytes} bytes.");
            }

            _stream = new AesCtrPrg(seed);
            Array.Clear(seed);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<BeaverTriple> GetTripleAsync(TripleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stream = Started();
        var isReceiver = NextIsReceiver();
        await AnnounceAsync(DealerRequest.Triple(request), cancellationToken).ConfigureAwait(false);
        var (a, b, c) = DealerDerivation.Triple(stream, request, isReceiver);
        if (c is null)
        {
            using (_communicator!.BeginOperation("beaver"))
            {
                var payload = await RingWire.ReceiveAsync(_communicator, _dealer, request.CountC, cancellationToken)
                    .ConfigureAwait(false);
                c = RingWire.Slice(payload, 0, request.CountC);
                RecycledArrays<byte>.Return(payload);
            }
        }

        return new BeaverTriple(request, a, b, c) { Owned = true };
    }

    /// <inheritdoc/>
    public async ValueTask<TruncationPair> GetTruncationPairAsync(int count, int shift, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        DealerDerivation.CheckShift(shift);
        var stream = Started();
        var isReceiver = NextIsReceiver();
        await AnnounceAsync(DealerRequest.TruncationPair(count, shift), cancellationToken).ConfigureAwait(false);
        var (r, shifted, topBit) = DealerDerivation.Truncation(stream, count, isReceiver);
        if (shifted is null || topBit is null)
        {
            var width = DealerDerivation.WrapBytes(shift);
            var payload = await ReceiveTruncationCorrectionAsync(count, 1, width, cancellationToken).ConfigureAwait(false);
            shifted = RingWire.Slice(payload, 0, count);
            topBit = RecycledArrays<ulong>.Rent(count);
            RingWire.Widen(payload.AsSpan(count * sizeof(ulong)), width, topBit);
            RecycledArrays<byte>.Return(payload);
        }

        return new TruncationPair(shift, r, shifted, topBit) { Owned = true };
    }

    /// <inheritdoc/>
    public async ValueTask<SquaringTruncationPair> GetSquaringTruncationPairAsync(int count, int shift, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        DealerDerivation.CheckShift(shift);
        var stream = Started();
        var isReceiver = NextIsReceiver();
        await AnnounceAsync(DealerRequest.SquaringTruncationPair(count, shift), cancellationToken).ConfigureAwait(false);
        var (r, rest) = DealerDerivation.SquaringTruncation(stream, count, isReceiver);
        if (rest is null)
        {
            var width = DealerDerivation.WrapBytes(shift);
            var payload = await ReceiveTruncationCorrectionAsync(count, 2, width, cancellationToken).ConfigureAwait(false);
            var (top, shiftedTop) = (RecycledArrays<ulong>.Rent(count), RecycledArrays<ulong>.Rent(count));
            var narrow = payload.AsSpan(2 * count * sizeof(ulong));
            RingWire.Widen(narrow[..(count * width)], width, top);
            RingWire.Widen(narrow[(count * width)..], width, shiftedTop);
            rest = [RingWire.Slice(payload, 0, count), top, RingWire.Slice(payload, count, count), shiftedTop];
            RecycledArrays<byte>.Return(payload);
        }

        return new SquaringTruncationPair(new TruncationPair(shift, r, rest[0], rest[1]) { Owned = true }, rest[2], rest[3]) { Owned = true };
    }

    /// <summary>
    /// The receiver's truncation correction: <paramref name="parts"/> x <paramref name="count"/> ring elements, then as many
    /// values of <paramref name="width"/> bytes (the wrap-bit shares, <see cref="DealerDerivation.WrapBytes"/>).
    /// </summary>
    private async ValueTask<byte[]> ReceiveTruncationCorrectionAsync(int count, int parts, int width, CancellationToken cancellationToken)
    {
        using (_communicator!.BeginOperation("truncation-pair"))
        {
            var payload = await _communicator.ReceiveAsync(_dealer, cancellationToken).ConfigureAwait(false);
            var expected = (long)parts * count * (sizeof(ulong) + width);
            if (payload.Length != expected)
            {
                throw new InvalidDataException(
                    $"The dealer sent {payload.Length} bytes where a truncation correction of {count} elements ({expected} bytes) was expected.");
            }

            return payload;
        }
    }

    /// <inheritdoc/>
    public async ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        if (!_announces || _closed)
        {
            return;
        }

        try
        {
            // The goodbye is never part of a plan; requests announced but not made (an operation that failed midway) are
            // served by the dealer and never read, which costs nothing.
            _announcedAhead.Clear();
            await SendAnnouncementAsync(DealerRequest.End, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _closed = true;
        }
    }

    /// <summary>
    /// Party 0 in <see cref="DealerMode.OnRequest"/> sends the dealer every request <paramref name="script"/> makes now, so
    /// that the dealer computes them while the parties work; its later requests must then come in exactly that order (each
    /// is checked against the plan and not sent again). Ignored by the other parties, in <see cref="DealerMode.Scripted"/>,
    /// and while an earlier plan still has requests to come (an operation inside a planned one is part of its plan).
    /// </summary>
    /// <param name="script">The operation's dealer script.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the plan is sent.</returns>
    /// <exception cref="InvalidOperationException">The session has already told the dealer it is finished.</exception>
    public async ValueTask AnnounceAheadAsync(Func<ICorrelationServer, ValueTask> script, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (!_announces || _announcedAhead.Count > 0)
        {
            return;
        }

        ThrowIfClosed();
        foreach (var request in RequestPlan.Of(script).Requests)
        {
            using (_communicator!.BeginOperation("dealer-request"))
            {
                await _communicator.SendAsync(_dealer, request.Encode(), cancellationToken).ConfigureAwait(false);
            }

            _announcedAhead.Enqueue(request);
        }
    }

    /// <summary>Releases the seed stream; party 0 of an on-request session not closed yet says goodbye to the dealer first (best effort, 2 s).</summary>
    public void Dispose()
    {
        if (_announces && !_closed && _stream is not null)
        {
            try
            {
                // Off this thread's context, so a caller with a synchronisation context cannot deadlock on it.
                Task.Run(() => CloseAsync().AsTask()).Wait(TimeSpan.FromSeconds(2));
            }
            catch (AggregateException)
            {
                // The dealer is gone already; it has nothing left to serve.
            }
        }

        _closed = true;
        _stream?.Dispose();
    }

    private ValueTask AnnounceAsync(DealerRequest request, CancellationToken cancellationToken)
    {
        if (!_announces)
        {
            return ValueTask.CompletedTask;
        }

        ThrowIfClosed();
        if (_announcedAhead.TryDequeue(out var planned))
        {
            // Announced with a plan: the dealer is serving it already. A different request here would desynchronise
            // the dealer from every party, so it is a bug in the operation's plan, refused before anything is used.
            return planned.SameAs(request)
                ? ValueTask.CompletedTask
                : throw new InvalidOperationException(
                    $"Party 0 announced {planned} to the dealer ahead of time, but the operation asked for {request}; "
                    + "the operation's dealer plan does not match what it does.");
        }

        return SendAnnouncementAsync(request, cancellationToken);
    }

    private async ValueTask SendAnnouncementAsync(DealerRequest request, CancellationToken cancellationToken)
    {
        using (_communicator!.BeginOperation("dealer-request"))
        {
            await _communicator.SendAsync(_dealer, request.Encode(), cancellationToken).ConfigureAwait(false);
        }
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new InvalidOperationException("This session has told the dealer it is finished; it can make no more requests.");
        }
    }

    /// <summary>Counts one request and says whether this party receives its correction (request r goes to party r mod N).</summary>
    private bool NextIsReceiver() => (int)(_requests++ % _parties) == _rank;

    private AesCtrPrg Started() =>
        _stream ?? throw new InvalidOperationException("The provider is not initialised; create the session with it first.");
}
