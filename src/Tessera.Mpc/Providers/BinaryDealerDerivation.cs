using Tessera.Mpc.Randomness;

namespace Tessera.Mpc.Providers;

/// <summary>
/// The order in which a party's seed stream is consumed for binary material, shared by the dealer and the parties (see
/// <c>DealerDerivation</c>). AND triple of n words: a, b, then c unless the party is the receiver. edaBits of n: r (every
/// party; r is the sum), then the XOR share of -r unless the party is the receiver. daBits of n: the packed XOR shares
/// (ceil(n / 64) words, every party; the bits are their XOR), then the additive share of each bit unless the party is
/// the receiver (party r mod N for request r), whose missing share is the dealer's correction. Bit products of n: the
/// packed XOR shares of t and the shares of a (every party), then the additive shares of t and of a t unless the party is
/// the receiver.
/// </summary>
internal static class BinaryDealerDerivation
{
    public static (ulong[] A, ulong[] B, ulong[]? C) AndTriple(AesCtrPrg stream, int count, bool isReceiver)
    {
        var a = stream.Next(count);
        var b = stream.Next(count);
        return (a, b, isReceiver ? null : stream.Next(count));
    }

    public static (ulong[] R, ulong[]? NegatedRBits) EdaBits(AesCtrPrg stream, int count, bool isReceiver)
    {
        var r = stream.Next(count);
        return (r, isReceiver ? null : stream.Next(count));
    }

    public static (ulong[] PackedBits, ulong[]? Arithmetic) DaBits(AesCtrPrg stream, int count, bool isReceiver)
    {
        var packed = stream.Next(PackedWords(count));
        return (packed, isReceiver ? null : stream.Next(count));
    }

    /// <summary>Bit products of n: packed XOR shares of t and a (every party), then t and a t unless the party is the receiver.</summary>
    public static (ulong[] PackedBits, ulong[] A, ulong[]? Bits, ulong[]? C) BitProducts(AesCtrPrg stream, int count, bool isReceiver)
    {
        var packed = stream.Next(PackedWords(count));
        var a = stream.Next(count);
        return isReceiver ? (packed, a, null, null) : (packed, a, stream.Next(count), stream.Next(count));
    }

    /// <summary>The dealer's form of <see cref="BitProducts"/>: packed | a | t | a t into <paramref name="destination"/> (packed | a for the receiver).</summary>
    public static void BitProductsInto(AesCtrPrg stream, int count, bool isReceiver, Span<ulong> destination)
    {
        // One fill per part, exactly as the parties draw them (a fill starts on a fresh keystream block).
        var words = PackedWords(count);
        stream.Fill(destination[..words]);
        stream.Fill(destination.Slice(words, count));
        if (!isReceiver)
        {
            stream.Fill(destination.Slice(words + count, count));
            stream.Fill(destination.Slice(words + (2 * count), count));
        }
    }

    /// <summary>The dealer's form of <see cref="AndTriple"/>: a | b | c into <paramref name="destination"/> (no c for the receiver).</summary>
    public static void AndTripleInto(AesCtrPrg stream, int count, bool isReceiver, Span<ulong> destination)
    {
        stream.Fill(destination[..count]);
        stream.Fill(destination.Slice(count, count));
        if (!isReceiver)
        {
            stream.Fill(destination.Slice(2 * count, count));
        }
    }

    /// <summary>The dealer's form of <see cref="EdaBits"/>: r | XOR share of -r into <paramref name="destination"/> (only r for the receiver).</summary>
    public static void EdaBitsInto(AesCtrPrg stream, int count, bool isReceiver, Span<ulong> destination)
    {
        stream.Fill(destination[..count]);
        if (!isReceiver)
        {
            stream.Fill(destination.Slice(count, count));
        }
    }

    /// <summary>The dealer's form of <see cref="DaBits"/>: packed | arithmetic into <paramref name="destination"/> (only packed for the receiver).</summary>
    public static void DaBitsInto(AesCtrPrg stream, int count, bool isReceiver, Span<ulong> destination)
    {
        var words = PackedWords(count);
        stream.Fill(destination[..words]);
        if (!isReceiver)
        {
            stream.Fill(destination.Slice(words, count));
        }
    }

    public static int PackedWords(int count) => (count + 63) >> 6;
}
