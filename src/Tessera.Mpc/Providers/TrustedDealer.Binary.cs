namespace Tessera.Mpc.Providers;

/// <summary>The dealer's binary material: AND triples, edaBits and daBits, derived from the parties' seeds like triples.</summary>
/// <remarks>
/// Each request expands every party's seed stream as that party does (see <c>BinaryDealerDerivation</c>) and sends the
/// request's receiver (party r mod N for request r) only its missing share, 8 bytes per element; nothing travels to the dealer. Composite protocols
/// (comparisons, ReLU) are served by the scripts in <see cref="ComparisonDealing"/>.
/// </remarks>
public sealed partial class TrustedDealer
{
    /// <summary>Serves the <paramref name="count"/> AND triples the parties request next.</summary>
    /// <param name="count">How many words (the same as the parties ask).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the correction is sent.</returns>
    public ValueTask ServeAndTripleAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return ServeAndTriplesAsync(count, 0, cancellationToken);
    }

    /// <summary>Serves the AND triples of the sign tree of <paramref name="count"/> elements the parties request next
    /// (<see cref="ICorrelationProvider.GetSignTreeTriplesAsync"/>).</summary>
    /// <param name="count">Elements (the same as the parties ask).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the correction (8 bytes per word) is sent.</returns>
    public ValueTask ServeSignTreeTriplesAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return ServeAndTriplesAsync(Protocols.SignBit.AndWords(count), count, cancellationToken);
    }

    /// <summary>AND triples of <paramref name="count"/> words; for a sign tree of <paramref name="treeElements"/> elements
    /// (0: none), each level's second half of a repeats its first before c = a AND b is formed.</summary>
    private async ValueTask ServeAndTriplesAsync(int count, int treeElements, CancellationToken cancellationToken)
    {
        var receiver = NextReceiver();
        var correction = CorrectionBuffer(count);
        var c = RingWire.AsRing(correction.Array!, correction.Count / sizeof(ulong));
        var per = 3 * count;
        var scratch = DeriveAll(per, receiver, (stream, isReceiver, destination) => BinaryDealerDerivation.AndTripleInto(stream, count, isReceiver, destination));
        XorParties(scratch, per, 0, 2 * count);
        XorParties(scratch, per, 2 * count, count, receiver);
        if (treeElements > 0)
        {
            Protocols.SignBit.RepeatSharedMasks(scratch.AsSpan(0, count), treeElements);
        }

        scratch.AsSpan(2 * count, count).CopyTo(c);
        BinaryKernels.XorAnd(scratch.AsSpan(0, count), scratch.AsSpan(count, count), c);

        await SendCorrectionAsync("and-triple", receiver, correction, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves the <paramref name="count"/> edaBits the parties request next.</summary>
    /// <param name="count">How many (the same as the parties ask).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the correction is sent.</returns>
    public async ValueTask ServeEdaBitsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var receiver = NextReceiver();
        var correction = CorrectionBuffer(count);
        var bits = RingWire.AsRing(correction.Array!, correction.Count / sizeof(ulong));
        var per = 2 * count;
        var scratch = DeriveAll(per, receiver, (stream, isReceiver, destination) => BinaryDealerDerivation.EdaBitsInto(stream, count, isReceiver, destination));
        SumParties(scratch, per, 0, count);
        XorParties(scratch, per, count, count, receiver);
        BinaryKernels.XorNegated(scratch.AsSpan(count, count), scratch.AsSpan(0, count), bits);

        await SendCorrectionAsync("edabits", receiver, correction, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves the <paramref name="count"/> daBits the parties request next.</summary>
    /// <param name="count">How many (the same as the parties ask).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the correction is sent.</returns>
    public async ValueTask ServeDaBitsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var receiver = NextReceiver();
        var correction = CorrectionBuffer(count);
        var arithmetic = RingWire.AsRing(correction.Array!, correction.Count / sizeof(ulong));
        var words = BinaryDealerDerivation.PackedWords(count);
        var per = words + count;
        var scratch = DeriveAll(per, receiver, (stream, isReceiver, destination) => BinaryDealerDerivation.DaBitsInto(stream, count, isReceiver, destination));
        XorParties(scratch, per, 0, words);
        SumParties(scratch, per, words, count, receiver);
        var packed = scratch.AsSpan(0, words);
        var sum = scratch.AsSpan(words, count);
        for (var i = 0; i < count; i++)
        {
            arithmetic[i] = unchecked(((packed[i >> 6] >> (i & 63)) & 1UL) - sum[i]);
        }

        await SendCorrectionAsync("dabits", receiver, correction, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves the <paramref name="count"/> bit products the parties request next (see <see cref="BitProducts"/>).</summary>
    /// <param name="count">How many (the same as the parties ask).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the correction (the receiver's shares of t and of a t, 16 bytes each) is sent.</returns>
    public async ValueTask ServeBitProductsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var receiver = NextReceiver();
        var correction = CorrectionBuffer(checked(2 * count));
        var missing = RingWire.AsRing(correction.Array!, correction.Count / sizeof(ulong));
        var words = BinaryDealerDerivation.PackedWords(count);
        var per = words + (3 * count);
        var scratch = DeriveAll(per, receiver, (stream, isReceiver, destination) => BinaryDealerDerivation.BitProductsInto(stream, count, isReceiver, destination));
        XorParties(scratch, per, 0, words);
        SumParties(scratch, per, words, count);
        SumParties(scratch, per, words + count, 2 * count, receiver);
        var packed = scratch.AsSpan(0, words);
        var a = scratch.AsSpan(words, count);
        var bits = scratch.AsSpan(words + count, count);
        var products = scratch.AsSpan(words + (2 * count), count);
        for (var i = 0; i < count; i++)
        {
            var t = (packed[i >> 6] >> (i & 63)) & 1UL;
            missing[i] = unchecked(t - bits[i]);
            missing[count + i] = unchecked((a[i] * t) - products[i]);
        }

        await SendCorrectionAsync("bit-products", receiver, correction, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask SendCorrectionAsync(string operation, int receiver, ArraySegment<byte> correction, CancellationToken cancellationToken)
    {
        using (_communicator.BeginOperation(operation))
        {
            await _communicator.SendAsync(receiver, correction, cancellationToken).ConfigureAwait(false);
            _communicator.CountRound();
        }
    }
}
