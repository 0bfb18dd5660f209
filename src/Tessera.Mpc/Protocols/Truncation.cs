using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Protocols;

/// <summary>
/// Truncation of shared fixed-point values by s bits (dividing by 2^s) in one round, with the dealer's truncation pairs
/// (r, r &gt;&gt; s, msb(r)); the wrap of the masked opening is corrected exactly, so there is no wrap-around failure.
/// </summary>
/// <remarks>
/// <para>Steps, for x shared as a signed value with |x| &lt; 2^62 (as an integer at its scale): (1) party 0 adds 2^62, so
/// x' = x + 2^62 lies in [0, 2^63); (2) the parties open c = x' + r mod 2^64, which is uniform because r is, and costs
/// 8n bytes to each other party, one round; (3) since x' &lt; 2^63, the addition wrapped iff msb(r) = 1 and msb(c) = 0,
/// so w = (1 - msb(c)) msb(r) is linear in the shared msb(r); (4) party i sets z_i = [i = 0]((c &gt;&gt; s) - 2^(62-s))
/// - (r &gt;&gt; s)_i + (1 - msb(c)) msb(r)_i 2^(64 - s).</para>
/// <para>Error: the low bits of c and r give a borrow of 0 or 1, so the result is floor(x / 2^s) or that plus 1, the
/// latter with probability (x mod 2^s) / 2^s: stochastic rounding, unbiased, error below 1 unit in the last place
/// (2^-f for the result's f fractional bits). Failure probability: 0 whenever |x| &lt; 2^62; beyond that the result is
/// wrong (nothing checks it, so keep values in range: for a product of two values with f = 16 fractional bits this means
/// a real magnitude below 2^30). Compare CrypTen's two-party local truncation, which fails with probability about
/// |x| / 2^63 per element.</para>
/// </remarks>
public static class Truncation
{
    private const int MagnitudeBits = 62;

    /// <summary>Truncates <paramref name="x"/> by <paramref name="shift"/> bits; one round.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares of values below 2^62 in magnitude (as integers at their scale).</param>
    /// <param name="shift">Bits to drop, 1 to min(62, x.FractionalBits).</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares with x.FractionalBits - shift fractional bits.</returns>
    public static async ValueTask<SharedTensor> TruncateAsync(
        this MpcSession session, SharedTensor x, int shift, CancellationToken cancellationToken = default)
    {
        ArithmeticSharing.Check(session, x);
        ArgumentOutOfRangeException.ThrowIfLessThan(shift, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shift, Math.Min(MagnitudeBits, x.FractionalBits));
        var n = x.Count;
        var pair = await session.Provider.GetTruncationPairAsync(n, shift, cancellationToken).ConfigureAwait(false);

        // The opened c is public and dead after the combine, so it lives in a pooled buffer.
        var c = RecycledArrays<ulong>.Rent(n);
        try
        {
            var result = await FinishAsync(session, x, shift, pair, c, cancellationToken).ConfigureAwait(false);
            pair.Recycle();
            return result;
        }
        finally
        {
            RecycledArrays<ulong>.Return(c);
        }
    }

    /// <summary>
    /// Truncates <paramref name="x"/> by <paramref name="shift"/> bits and adds the public <paramref name="addend"/> (an
    /// encoded ring value at the result's scale, added by party 0), and returns the shares of that result's square too,
    /// at twice its fractional bits, with no further round: one round in all. Provider request: squaring truncation
    /// pair(n, shift).
    /// </summary>
    /// <remarks>
    /// After the opening c the result is y = q + r' with q = (c &gt;&gt; s) - 2^(62-s) + addend public and
    /// r' = -(r &gt;&gt; s) + k msb(r), k = (1 - msb(c)) 2^(64-s) public; so y^2 = q^2 + 2 q r' + (r &gt;&gt; s)^2
    /// - 2k (r &gt;&gt; s) msb(r) + k^2 msb(r), every term local given the dealer's shares of (r &gt;&gt; s)^2 and
    /// (r &gt;&gt; s) msb(r). Exact in the ring: the square is as good as a Beaver square of y (and needs |y| &lt; 2^31 for its
    /// own next truncation, as that would). Both results are the caller's (from <see cref="RecycledArrays{T}"/>, so a
    /// caller done with one may give it back).
    /// </remarks>
    internal static async ValueTask<(SharedTensor Truncated, ulong[] Square)> TruncateAndSquareAsync(
        MpcSession session, SharedTensor x, int shift, ulong addend, CancellationToken cancellationToken)
    {
        ArithmeticSharing.Check(session, x);
        ArgumentOutOfRangeException.ThrowIfLessThan(shift, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shift, Math.Min(MagnitudeBits, x.FractionalBits));
        var n = x.Count;
        var material = await session.Provider.GetSquaringTruncationPairAsync(n, shift, cancellationToken).ConfigureAwait(false);
        var pair = material.Pair;
        var c = RecycledArrays<ulong>.Rent(n);
        var truncated = await FinishAsync(session, x, shift, pair, c, cancellationToken).ConfigureAwait(false);
        var y = truncated.Share;
        var square = RecycledArrays<ulong>.Rent(n);
        RingKernels.SquaringTruncationCombine(
            c.AsSpan(0, n), pair.RShifted, pair.RTopBit, material.ShiftedSquare, material.ShiftedTimesTopBit, shift,
            1UL << (MagnitudeBits - shift), addend, session.Rank == 0, y, square);
        material.Recycle();
        RecycledArrays<ulong>.Return(c);
        return (truncated, square);
    }

    private static async ValueTask<SharedTensor> FinishAsync(
        MpcSession session, SharedTensor x, int shift, Providers.TruncationPair pair, ulong[] c, CancellationToken cancellationToken)
    {
        var n = x.Count;
        var communicator = session.Communicator;
        using (communicator.BeginOperation("truncate"))
        {
            // x + r is public once sent, so its buffer may come from (and go back to) the shared pool.
            var payload = RingWire.Rent(n);
            try
            {
                Mask(RingWire.AsRing(payload, n), x.Share, pair.R, session.Rank == 0);
                var message = payload.AsMemory(0, n * sizeof(ulong));
                await RingWire.SendToOthersAsync(communicator, session.Parties, message, cancellationToken).ConfigureAwait(false);
                communicator.CountRound();
                await RingWire.SumWithOthersAsync(communicator, session.Parties, message, cancellationToken, c).ConfigureAwait(false);
            }
            finally
            {
                RingWire.Return(payload);
            }
        }

        var z = RecycledArrays<ulong>.Rent(n);
        RingKernels.TruncationCombine(c.AsSpan(0, n), pair.RShifted, pair.RTopBit, shift, session.Rank == 0, 1UL << (MagnitudeBits - shift), z);
        return x.With(z, x.FractionalBits - shift);
    }

    /// <summary>Truncates <paramref name="x"/> back to the session's fractional bits (after a product); one round.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares with more fractional bits than the session's.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares with the session's fractional bits.</returns>
    public static ValueTask<SharedTensor> RescaleAsync(this MpcSession session, SharedTensor x, CancellationToken cancellationToken = default)
    {
        ArithmeticSharing.Check(session, x);
        if (x.FractionalBits <= session.FractionalBits)
        {
            throw new ArgumentException(
                $"The shares have {x.FractionalBits} fractional bits, not more than the session's {session.FractionalBits}.", nameof(x));
        }

        return session.TruncateAsync(x, x.FractionalBits - session.FractionalBits, cancellationToken);
    }

    private static void Mask(Span<ulong> masked, ulong[] x, ulong[] r, bool addOffset) =>
        RingKernels.AddWithConstant(x, r, addOffset ? 1UL << MagnitudeBits : 0UL, masked);
}
