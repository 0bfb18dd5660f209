using Tessera.Mpc.Randomness;

namespace Tessera.Mpc.Providers;

/// <summary>
/// The one place that fixes the order in which a party's seed stream is consumed, so that the dealer (which runs it for
/// every party) and each party (which runs it for itself) derive identical shares. Per triple: a, b, then c unless the
/// party is the request's receiver (whose c share is the dealer's correction). Per truncation request: r, then r &gt;&gt; s and
/// msb(r) unless the party is the request's receiver (whose shares of those two come from the dealer).
/// </summary>
internal static class DealerDerivation
{
    public static (ulong[] A, ulong[] B, ulong[]? C) Triple(AesCtrPrg stream, TripleRequest request, bool isReceiver)
    {
        var a = stream.Next(request.CountA);
        var b = stream.Next(request.CountB);
        var c = isReceiver ? null : stream.Next(request.CountC);
        return (a, b, c);
    }

    /// <summary>
    /// Bytes per element of the receiver's msb(r) and (r &gt;&gt; s) msb(r) corrections for a shift s: ceil(s / 8). Both are
    /// only ever multiplied by 2^(64 - s) (or by 2^(65 - s), or by its square, which is 0 or a higher power), so only their
    /// low s bits matter; the dealer sends those and the receiver's share is their zero extension.
    /// </summary>
    public static int WrapBytes(int shift) => (shift + 7) / 8;

    public static (ulong[] R, ulong[]? RShifted, ulong[]? RTopBit) Truncation(AesCtrPrg stream, int count, bool isReceiver)
    {
        var r = stream.Next(count);
        if (isReceiver)
        {
            return (r, null, null);
        }

        return (r, stream.Next(count), stream.Next(count));
    }

    /// <summary>
    /// The dealer's form of <see cref="Triple"/>: the same stream consumption, written into <paramref name="destination"/>
    /// as a | b | c (c left untouched for the receiver), so the dealer can reuse one scratch buffer.
    /// </summary>
    public static void TripleInto(AesCtrPrg stream, TripleRequest request, bool isReceiver, Span<ulong> destination)
    {
        stream.Fill(destination[..request.CountA]);
        stream.Fill(destination.Slice(request.CountA, request.CountB));
        if (!isReceiver)
        {
            stream.Fill(destination.Slice(request.CountA + request.CountB, request.CountC));
        }
    }

    /// <summary>The dealer's form of <see cref="Truncation"/>: r | r &gt;&gt; s | msb(r) into <paramref name="destination"/> (only r for the receiver).</summary>
    public static void TruncationInto(AesCtrPrg stream, int count, bool isReceiver, Span<ulong> destination)
    {
        stream.Fill(destination[..count]);
        if (!isReceiver)
        {
            stream.Fill(destination.Slice(count, count));
            stream.Fill(destination.Slice(2 * count, count));
        }
    }

    /// <summary>Squaring truncation pair of n: r (every party), then r &gt;&gt; s, msb(r), (r &gt;&gt; s)^2, (r &gt;&gt; s) msb(r) unless the receiver.</summary>
    public static (ulong[] R, ulong[][]? Others) SquaringTruncation(AesCtrPrg stream, int count, bool isReceiver)
    {
        var r = stream.Next(count);
        return isReceiver ? (r, null) : (r, [stream.Next(count), stream.Next(count), stream.Next(count), stream.Next(count)]);
    }

    /// <summary>The dealer's form of <see cref="SquaringTruncation"/>: r | r &gt;&gt; s | msb(r) | (r &gt;&gt; s)^2 | (r &gt;&gt; s) msb(r) (only r for the receiver).</summary>
    public static void SquaringTruncationInto(AesCtrPrg stream, int count, bool isReceiver, Span<ulong> destination)
    {
        stream.Fill(destination[..count]);
        if (!isReceiver)
        {
            for (var part = 1; part < 5; part++)
            {
                stream.Fill(destination.Slice(part * count, count));
            }
        }
    }

    public static void CheckShift(int shift)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shift, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shift, 62);
    }
}
