using Tessera.Mpc.Communication;
using Tessera.Mpc.Randomness;

namespace Tessera.Mpc.Providers;

/// <summary>
/// A computing party's side of the <see cref="TrustedDealer"/>: it derives its shares of a and b (and of c, except the
/// last party) from the seed the dealer gave it at set-up, and the last party receives its share of c from the dealer.
/// It sends nothing to the dealer, ever.
/// </summary>
/// <remarks>
/// Traffic per request, all from the dealer to the last computing party: an elementwise triple of n elements, 8n bytes;
/// an m x k x n matmul triple, 8mn bytes; n truncation pairs, 16n bytes. Counted under the operation labels "beaver" and
/// "truncation-pair". Not thread-safe: a party issues its requests one at a time, in the same order as the dealer serves.
/// </remarks>
public sealed partial class DealerCorrelationProvider : ICorrelationProvider
{
    private AesCtrPrg? _stream;
    private ICommunicator? _communicator;
    private int _dealer;
    private bool _isLast;

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
        _isLast = session.Rank == session.Parties - 1;
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
        var (a, b, c) = DealerDerivation.Triple(stream, request, _isLast);
        if (c is null)
        {
            using (_communicator!.BeginOperation("beaver"))
            {
                var payload = await RingWire.ReceiveAsync(_communicator, _dealer, request.CountC, cancellationToken)
                    .ConfigureAwait(false);
                c = RingWire.AsRing(payload).ToArray();
            }
        }

        return new BeaverTriple(request, a, b, c);
    }

    /// <inheritdoc/>
    public async ValueTask<TruncationPair> GetTruncationPairAsync(int count, int shift, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        DealerDerivation.CheckShift(shift);
        var stream = Started();
        var (r, shifted, topBit) = DealerDerivation.Truncation(stream, count, _isLast);
        if (shifted is null || topBit is null)
        {
            using (_communicator!.BeginOperation("truncation-pair"))
            {
                var payload = await RingWire.ReceiveAsync(_communicator, _dealer, 2 * count, cancellationToken)
                    .ConfigureAwait(false);
                var both = RingWire.AsRing(payload);
                shifted = both[..count].ToArray();
                topBit = both[count..].ToArray();
            }
        }

        return new TruncationPair(shift, r, shifted, topBit);
    }

    /// <inheritdoc/>
    public void Dispose() => _stream?.Dispose();

    private AesCtrPrg Started() =>
        _stream ?? throw new InvalidOperationException("The provider is not initialised; create the session with it first.");
}
