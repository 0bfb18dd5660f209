namespace Tessera.Mpc.Providers;

/// <summary>The party's side of the dealer's binary material: AND triples, edaBits and daBits.</summary>
/// <remarks>
/// Traffic per request, all from the dealer to that request's receiver (party r mod N for request r): n AND triples, 8n
/// bytes (the correction of c); n edaBits, 8n bytes (the receiver's XOR share of -r); n daBits, 8n bytes (the receiver's
/// additive shares of the bits). Counted under "and-triple", "edabits" and "dabits".
/// </remarks>
public sealed partial class DealerCorrelationProvider
{
    /// <inheritdoc/>
    public ValueTask<AndTriple> GetAndTripleAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return GetAndTriplesAsync(DealerRequest.Binary(DealerRequestKind.AndTriple, count), count, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<AndTriple> GetSignTreeTriplesAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return GetAndTriplesAsync(DealerRequest.Binary(DealerRequestKind.SignTreeTriple, count), Protocols.SignBit.AndWords(count), cancellationToken);
    }

    private async ValueTask<AndTriple> GetAndTriplesAsync(DealerRequest request, int words, CancellationToken cancellationToken)
    {
        var stream = Started();
        var isReceiver = NextIsReceiver();
        await AnnounceAsync(request, cancellationToken).ConfigureAwait(false);
        var (a, b, c) = BinaryDealerDerivation.AndTriple(stream, words, isReceiver);
        c ??= (await ReceiveCorrectionAsync("and-triple", words, cancellationToken).ConfigureAwait(false))[0];
        return new AndTriple(a, b, c) { Owned = true };
    }

    /// <inheritdoc/>
    public async ValueTask<EdaBits> GetEdaBitsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var stream = Started();
        var isReceiver = NextIsReceiver();
        await AnnounceAsync(DealerRequest.Binary(DealerRequestKind.EdaBits, count), cancellationToken).ConfigureAwait(false);
        var (r, bits) = BinaryDealerDerivation.EdaBits(stream, count, isReceiver);
        bits ??= (await ReceiveCorrectionAsync("edabits", count, cancellationToken).ConfigureAwait(false))[0];
        return new EdaBits(r, bits) { Owned = true };
    }

    /// <inheritdoc/>
    public async ValueTask<DaBits> GetDaBitsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var stream = Started();
        var isReceiver = NextIsReceiver();
        await AnnounceAsync(DealerRequest.Binary(DealerRequestKind.DaBits, count), cancellationToken).ConfigureAwait(false);
        var (packed, arithmetic) = BinaryDealerDerivation.DaBits(stream, count, isReceiver);
        arithmetic ??= (await ReceiveCorrectionAsync("dabits", count, cancellationToken).ConfigureAwait(false))[0];
        return new DaBits(count, packed, arithmetic) { Owned = true };
    }

    /// <inheritdoc/>
    public async ValueTask<BitProducts> GetBitProductsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var stream = Started();
        var isReceiver = NextIsReceiver();
        await AnnounceAsync(DealerRequest.Binary(DealerRequestKind.BitProducts, count), cancellationToken).ConfigureAwait(false);
        var (packed, a, bits, products) = BinaryDealerDerivation.BitProducts(stream, count, isReceiver);
        if (bits is null || products is null)
        {
            var both = await ReceiveCorrectionAsync("bit-products", count, cancellationToken, parts: 2).ConfigureAwait(false);
            (bits, products) = (both[0], both[1]);
        }

        return new BitProducts(count, packed, bits, a, products) { Owned = true };
    }

    /// <summary>The dealer's correction of <paramref name="parts"/> x <paramref name="count"/> elements as that many arrays.</summary>
    private async ValueTask<ulong[][]> ReceiveCorrectionAsync(string operation, int count, CancellationToken cancellationToken, int parts = 1)
    {
        using (_communicator!.BeginOperation(operation))
        {
            var payload = await RingWire.ReceiveAsync(_communicator, _dealer, checked(parts * count), cancellationToken).ConfigureAwait(false);
            var result = new ulong[parts][];
            for (var part = 0; part < parts; part++)
            {
                result[part] = RingWire.Slice(payload, part * count, count);
            }

            RecycledArrays<byte>.Return(payload);
            return result;
        }
    }
}
