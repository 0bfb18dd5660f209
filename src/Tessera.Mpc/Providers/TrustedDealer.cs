using Tessera.Kernels;
using Tessera.Mpc.Communication;
using Tessera.Mpc.Randomness;

namespace Tessera.Mpc.Providers;

/// <summary>
/// A trusted dealer that runs as its own rank (the last rank of the communicator), takes no inputs and learns nothing
/// about the parties' values: it only produces correlated randomness.
/// </summary>
/// <remarks>
/// <para>Set-up: the dealer draws a 16-byte seed per computing party from its random source (the OS CSPRNG outside tests)
/// and sends it to that party; that is all the dealer ever sends besides corrections, and it receives nothing at all.</para>
/// <para>Serving: the computation's shape is public, so the dealer runs the same sequence of requests as the parties
/// (<see cref="ServeTripleAsync"/>, <see cref="ServeTruncationPairAsync"/>) without being told: for each it expands every
/// party's seed stream exactly as that party does (a, b, and c for all but the request's receiver; see
/// <c>DealerDerivation</c>), forms a = sum a_i, b = sum b_i, c = a (op) b, and sends the receiver only its correction
/// c - sum of the others' c_i. Request number r (counted from 0 alike by the dealer and every party, in both modes) has
/// receiver party r mod N, so the corrections are spread over the parties. What travels, dealer to the receiver: 8 bytes per element of c for a triple (n elements
/// for elementwise, m*n for matmul), 16 bytes per element for truncation pairs (shares of r &gt;&gt; s and msb(r); r
/// itself is the sum of seed-derived shares). Nothing travels to the dealer.</para>
/// <para>Trust: the dealer knows every party's shares of the material, so it must not collude with any party; it never
/// sees a masked or unmasked input. Not thread-safe.</para>
/// </remarks>
public sealed partial class TrustedDealer : IDisposable, ICorrelationServer
{
    private readonly ICommunicator _communicator;
    private readonly AesCtrPrg[] _streams;

    private TrustedDealer(ICommunicator communicator, AesCtrPrg[] streams)
    {
        _communicator = communicator;
        _streams = streams;
    }

    /// <summary>The number of computing parties served (ranks 0 .. Parties - 1).</summary>
    public int Parties => _streams.Length;

    /// <summary>Starts the dealer on <paramref name="communicator"/>, whose rank must be the last; sends each party its seed.</summary>
    /// <param name="communicator">The dealer's communicator.</param>
    /// <param name="random">Where seeds come from (<see cref="CryptoRandomSource"/> outside tests).</param>
    /// <param name="cancellationToken">Cancels the set-up.</param>
    /// <returns>The dealer.</returns>
    /// <exception cref="ArgumentException">The communicator's rank is not its last, or it has fewer than 3 ranks.</exception>
    public static async Task<TrustedDealer> CreateAsync(
        ICommunicator communicator, IRandomSource random, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(random);
        if (communicator.Parties < 3 || communicator.Rank != communicator.Parties - 1)
        {
            throw new ArgumentException(
                $"The dealer must hold the last rank of at least 3 (2 parties and itself); it has rank {communicator.Rank} "
                + $"of {communicator.Parties}.",
                nameof(communicator));
        }

        var parties = communicator.Parties - 1;
        var streams = new AesCtrPrg[parties];
        using (communicator.BeginOperation("setup"))
        {
            for (var party = 0; party < parties; party++)
            {
                var seed = AesCtrPrg.NewSeed(random);
                streams[party] = new AesCtrPrg(seed);
                await communicator.SendAsync(party, seed, cancellationToken).ConfigureAwait(false);
                Array.Clear(seed);
            }

            communicator.CountRound();
        }

        return new TrustedDealer(communicator, streams);
    }

    /// <summary>Serves the triple the parties request next with <paramref name="request"/>.</summary>
    /// <param name="request">The same request the parties make.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the correction is sent.</returns>
    public async ValueTask ServeTripleAsync(TripleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var receiver = NextReceiver();
        var correction = CorrectionBuffer(request.CountC);
        var c = RingWire.AsRing(correction.Array!, correction.Count / sizeof(ulong));
        int na = request.CountA, nb = request.CountB, nc = request.CountC;
        var per = na + nb + nc;

        // Every party's a | b | c in one scratch buffer; party 0's region becomes the running sums (c summed over all but
        // the receiver, whose c share is the correction).
        var scratch = DeriveAll(per, receiver, (stream, isReceiver, destination) => DealerDerivation.TripleInto(stream, request, isReceiver, destination));
        SumParties(scratch, per, 0, na);
        SumParties(scratch, per, na, nb);
        SumParties(scratch, per, na + nb, nc, receiver);
        var sumA = scratch.AsSpan(0, na);
        var sumB = scratch.AsSpan(na, nb);
        var sumC = scratch.AsSpan(na + nb, nc);
        switch (request.Kind)
        {
            case TripleKind.Elementwise:
                RingKernels.MultiplySubtract(sumA, sumB, sumC, c);
                break;
            case TripleKind.MatMul:
                // a b straight into the correction (no product array), then less the others' c.
                int m = request.ShapeA[0], k = request.ShapeA[1], n = request.ShapeB[1];
                Gemm.Multiply(false, false, m, n, k, sumA, k, sumB, n, c, n);
                RingKernels.Subtract(c, sumC, c);
                break;
            case TripleKind.Square:
                RingKernels.MultiplySubtract(sumA, sumA, sumC, c);
                break;
            case TripleKind.Conv2d:
                RingKernels.Subtract(
                    Tensors.RingConvolution.Conv2d(sumA.ToArray(), sumB.ToArray(), request.Geometry, request.Stride, request.Padding), sumC, c);
                break;
            default:
                throw new NotSupportedException($"The dealer cannot serve {request.Kind} triples.");
        }

        await SendCorrectionAsync("beaver", receiver, correction, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves the <paramref name="count"/> truncation pairs the parties request next.</summary>
    /// <param name="count">How many (the same as the parties ask).</param>
    /// <param name="shift">The shift, 1 to 62 (the same as the parties ask).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public async ValueTask ServeTruncationPairAsync(int count, int shift, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        DealerDerivation.CheckShift(shift);
        var receiver = NextReceiver();
        var correction = CorrectionBuffer(2 * count);
        var both = RingWire.AsRing(correction.Array!, correction.Count / sizeof(ulong));
        var per = 3 * count;
        var scratch = DeriveAll(per, receiver, (stream, isReceiver, destination) => DealerDerivation.TruncationInto(stream, count, isReceiver, destination));
        SumParties(scratch, per, 0, count);
        SumParties(scratch, per, count, 2 * count, receiver);
        RingKernels.TruncationCorrection(
            scratch.AsSpan(0, count), scratch.AsSpan(count, count), scratch.AsSpan(2 * count, count), shift, both[..count], both[count..]);

        // The msb(r) correction goes out in its low s bits only (DealerDerivation.WrapBytes).
        var narrow = RingWire.Narrow(correction.AsSpan(count * sizeof(ulong)), count, DealerDerivation.WrapBytes(shift));
        await SendCorrectionAsync("truncation-pair", receiver, correction[..((count * sizeof(ulong)) + narrow)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves the <paramref name="count"/> squaring truncation pairs the parties request next (<see cref="SquaringTruncationPair"/>).</summary>
    /// <param name="count">How many (the same as the parties ask).</param>
    /// <param name="shift">The shift, 1 to 62 (the same as the parties ask).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>
    /// A task that completes when the correction is sent: the receiver's shares of r &gt;&gt; s and (r &gt;&gt; s)^2 (8 bytes
    /// each), then of msb(r) and (r &gt;&gt; s) msb(r) in their low s bits (<see cref="DealerDerivation.WrapBytes"/> each).
    /// </returns>
    public async ValueTask ServeSquaringTruncationPairAsync(int count, int shift, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        DealerDerivation.CheckShift(shift);
        var receiver = NextReceiver();
        var correction = CorrectionBuffer(checked(4 * count));
        var missing = RingWire.AsRing(correction.Array!, correction.Count / sizeof(ulong));
        var per = 5 * count;
        var scratch = DeriveAll(per, receiver, (stream, isReceiver, destination) => DealerDerivation.SquaringTruncationInto(stream, count, isReceiver, destination));
        SumParties(scratch, per, 0, count);
        SumParties(scratch, per, count, 4 * count, receiver);
        var sums = scratch.AsSpan();
        RingKernels.SquaringTruncationCorrection(
            sums[..count], sums.Slice(count, count), sums.Slice(3 * count, count), sums.Slice(2 * count, count), sums.Slice(4 * count, count), shift,
            missing[..count], missing.Slice(count, count), missing.Slice(2 * count, count), missing.Slice(3 * count, count));

        var narrow = RingWire.Narrow(correction.AsSpan(2 * count * sizeof(ulong)), 2 * count, DealerDerivation.WrapBytes(shift));
        await SendCorrectionAsync("truncation-pair", receiver, correction[..((2 * count * sizeof(ulong)) + narrow)], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var stream in _streams)
        {
            stream.Dispose();
        }

        ClearScratch();
    }
}
