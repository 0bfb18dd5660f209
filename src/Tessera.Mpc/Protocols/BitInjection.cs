using Tessera.Mpc.Providers;

namespace Tessera.Mpc.Protocols;

/// <summary>
/// A shared ring value times an XOR-shared bit in one round, without converting the bit first: with bit products (t in
/// both domains, a random, c = a t) the parties open e = x - a and m = b XOR t together (8n + n/8 bytes to each other
/// party), and then b = m + (1 - 2m) t and x b = m x + (1 - 2m)(e t + c) are local. This replaces a bit-to-arithmetic
/// conversion (1 round) followed by a Beaver product (1 round, 16n bytes). Exact: no truncation, no approximation.
/// </summary>
internal static class BitInjection
{
    /// <summary>
    /// x b (or x (1 - b) with <paramref name="complement"/>) for additive shares x and packed XOR shares of bits b, and
    /// additive shares of the bits used; one round. Provider request: bit products(n).
    /// </summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Additive shares, n elements.</param>
    /// <param name="packedBits">XOR shares of n bits, 64 to a word.</param>
    /// <param name="complement">Use 1 - b (party 0 flips its share).</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares of x b (x's scale) and of the bits (scale 0).</returns>
    public static async ValueTask<(ulong[] Product, ulong[] Bits)> MultiplyAsync(
        MpcSession session, ulong[] x, ulong[] packedBits, bool complement, CancellationToken cancellationToken)
    {
        var n = x.Length;
        var words = BinaryDealerDerivation.PackedWords(n);
        if (packedBits.Length < words)
        {
            throw new ArgumentException($"{packedBits.Length} words hold fewer than the {n} bits needed.", nameof(packedBits));
        }

        var material = await session.Provider.GetBitProductsAsync(n, cancellationToken).ConfigureAwait(false);

        // One message: e = x - a (summed) then m = b XOR t (XORed); both are uniformly masked, so public once opened.
        var payload = RingWire.Rent(n + words);
        var own = RingWire.AsRing(payload, n + words);
        RingKernels.Subtract(x, material.A, own[..n]);
        BinaryKernels.Xor(packedBits.AsSpan(0, words), material.PackedBits, own[n..]);
        if (complement && session.Rank == 0)
        {
            BinaryKernels.Xor(own[n..], AllOnes(words), own[n..]);
        }

        var communicator = session.Communicator;
        var opened = RecycledArrays<ulong>.Rent(n + words);
        own.CopyTo(opened);
        using (communicator.BeginOperation("bit-injection"))
        {
            await RingWire.SendToOthersAsync(communicator, session.Parties, payload.AsMemory(0, (n + words) * sizeof(ulong)), cancellationToken)
                .ConfigureAwait(false);
            RingWire.Return(payload);
            communicator.CountRound();
            for (var peer = 0; peer < session.Parties; peer++)
            {
                if (peer != communicator.Rank)
                {
                    var message = await RingWire.ReceiveAsync(communicator, peer, n + words, cancellationToken).ConfigureAwait(false);
                    var received = RingWire.AsRing(message);
                    RingKernels.Add(opened.AsSpan(0, n), received[..n], opened.AsSpan(0, n));
                    BinaryKernels.Xor(opened.AsSpan(n, words), received[n..], opened.AsSpan(n, words));
                    RecycledArrays<byte>.Return(message);
                }
            }
        }

        // b = m + (1 - 2m) t; x b = m x + (1 - 2m)(e t + c). Party 0 adds the public m.
        // Both results are the caller's, from the pool, so a caller done with one may give it back.
        var product = RecycledArrays<ulong>.Rent(n);
        var bits = RecycledArrays<ulong>.Rent(n);
        var first = session.Rank == 0 ? 1UL : 0UL;
        var t = material.Bits;
        var c = material.C;
        for (var i = 0; i < n; i++)
        {
            // m is a uniformly random bit: select without a branch the predictor would miss half the time.
            var select = unchecked(0UL - ((opened[n + (i >> 6)] >> (i & 63)) & 1UL));
            var xt = unchecked((opened[i] * t[i]) + c[i]);
            bits[i] = t[i] ^ ((t[i] ^ unchecked(first - t[i])) & select);
            product[i] = xt ^ ((xt ^ unchecked(x[i] - xt)) & select);
        }

        RecycledArrays<ulong>.Return(opened);
        material.Recycle();
        return (product, bits);
    }

    private static ulong[] AllOnes(int words)
    {
        var ones = new ulong[words];
        Array.Fill(ones, ulong.MaxValue);
        return ones;
    }
}
