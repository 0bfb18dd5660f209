using Tessera.Mpc.Providers;
using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Protocols;

/// <summary>
/// The AND of two XOR-shared tensors with the dealer's AND triples (Beaver's method over GF(2), 64 bits per word at
/// once), one round.
/// </summary>
/// <remarks>
/// <para>Steps, for a triple (a, b, c = a AND b): each party sends d_i = x_i XOR a_i and e_i = y_i XOR b_i in one message
/// to every other party; all learn d = x XOR a and e = y XOR b, uniformly random because a and b are; party i sets
/// z_i = c_i XOR (d AND b_i) XOR (e AND a_i), and party 0 also XORs in d AND e. The XOR of the z_i is x AND y.</para>
/// <para>Traffic: n words cost 16n bytes from each party to every other party, one round; from the dealer, 8n bytes to
/// one party per request, rotating (<see cref="TrustedDealer.ServeAndTripleAsync"/>). When one left operand meets two
/// right ones (the sign tree's levels), triples whose a repeats let its mask be opened once: 12 bytes per product word.</para>
/// </remarks>
public static class BinaryAnd
{
    /// <summary>x AND y, bitwise on every word; one round.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares.</param>
    /// <param name="y">Shares of the same shape.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares of the AND.</returns>
    public static async ValueTask<BinarySharedTensor> AndAsync(
        this MpcSession session, BinarySharedTensor x, BinarySharedTensor y, CancellationToken cancellationToken = default)
    {
        BinarySharing.Check(session, x);
        BinarySharing.CheckPair(x, y);
        var triple = await session.Provider.GetAndTripleAsync(x.Count, cancellationToken).ConfigureAwait(false);
        var z = await AndCoreAsync(session, x.Share, y.Share, triple, 0, cancellationToken).ConfigureAwait(false);
        return x.With(z);
    }

    /// <summary>
    /// The AND of equally long word arrays with triples taken from <paramref name="triple"/> at <paramref name="offset"/>
    /// (so one dealer request can serve a whole circuit); one round under the label "and". The result is the caller's
    /// (from <see cref="RecycledArrays{T}"/>, so a caller done with it may give it back).
    /// </summary>
    internal static async ValueTask<ulong[]> AndCoreAsync(
        MpcSession session, ulong[] x, ulong[] y, AndTriple triple, int offset, CancellationToken cancellationToken)
    {
        var n = x.Length;
        var a = triple.A.AsMemory(offset, n);
        var b = triple.B.AsMemory(offset, n);
        var c = triple.C.AsMemory(offset, n);
        var opened = await OpenMaskedAsync(session, x, a, y, b, cancellationToken).ConfigureAwait(false);
        var z = RecycledArrays<ulong>.Rent(n);
        BinaryKernels.AndCombine(opened.AsSpan(0, n), opened.AsSpan(n, n), a.Span, b.Span, c.Span, session.Rank == 0, z);
        RecycledArrays<ulong>.Return(opened);
        return z;
    }

    /// <summary>Opens [x XOR a | y XOR b] in one message under the label "and"; the opened words are the caller's (pooled).</summary>
    private static async ValueTask<ulong[]> OpenMaskedAsync(
        MpcSession session, ulong[] x, ReadOnlyMemory<ulong> a, ulong[] y, ReadOnlyMemory<ulong> b, CancellationToken cancellationToken)
    {
        // x ^ a and y ^ b are public once sent, so their buffer may come from (and go back to) the shared pool.
        var total = x.Length + y.Length;
        var payload = RingWire.Rent(total);
        try
        {
            var masked = RingWire.AsRing(payload, total);
            BinaryKernels.Xor(x, a.Span, masked[..x.Length]);
            BinaryKernels.Xor(y, b.Span, masked[x.Length..]);
            using (session.Communicator.BeginOperation("and"))
            {
                return await BinaryWire.OpenPayloadAsync(
                    session.Communicator, session.Parties, payload.AsMemory(0, total * sizeof(ulong)), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            RingWire.Return(payload);
        }
    }

    /// <summary>
    /// [x AND y_lo | x AND y_hi] for x of h words and y of 2h, with triples at <paramref name="offset"/> whose a repeats
    /// across the two halves (a_hi = a_lo, as <see cref="SignBit.RepeatSharedMasks"/> arranges): x XOR a is opened once
    /// for both products, so the message is 3h words instead of 4h. One round under the label "and"; the result is the
    /// caller's (pooled).
    /// </summary>
    internal static async ValueTask<ulong[]> AndSharedLeftCoreAsync(
        MpcSession session, ulong[] x, ulong[] y, AndTriple triple, int offset, CancellationToken cancellationToken)
    {
        var h = x.Length;
        if (y.Length != 2 * h)
        {
            throw new ArgumentException($"The right operand has {y.Length} words; it needs twice the left's {h}.", nameof(y));
        }

        var a = triple.A.AsMemory(offset, h);
        var b = triple.B.AsMemory(offset, 2 * h);
        var c = triple.C.AsMemory(offset, 2 * h);
        var opened = await OpenMaskedAsync(session, x, a, y, b, cancellationToken).ConfigureAwait(false);
        var z = RecycledArrays<ulong>.Rent(2 * h);
        var d = opened.AsSpan(0, h);
        var first = session.Rank == 0;
        BinaryKernels.AndCombine(d, opened.AsSpan(h, h), a.Span, b.Span[..h], c.Span[..h], first, z.AsSpan(0, h));
        BinaryKernels.AndCombine(d, opened.AsSpan(2 * h, h), a.Span, b.Span[h..], c.Span[h..], first, z.AsSpan(h, h));
        RecycledArrays<ulong>.Return(opened);
        return z;
    }
}
