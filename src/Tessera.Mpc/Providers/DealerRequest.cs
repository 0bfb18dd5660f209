using System.Buffers.Binary;

namespace Tessera.Mpc.Providers;

/// <summary>
/// The descriptor party 0 sends the dealer in <see cref="DealerMode.OnRequest"/>: one kind byte and three little-endian
/// 32-bit sizes (13 bytes). Sizes and kinds are public (they follow from the program and the shapes); no value travels.
/// </summary>
internal readonly record struct DealerRequest(DealerRequestKind Kind, int First, int Second, int Third)
{
    public const int Bytes = 13;

    /// <summary>The most ring elements one request may ask for (2^28, 2 GiB of material): a bound on what a frame can make the dealer allocate.</summary>
    public const long MaxElements = 1L << 28;

    public static DealerRequest End => new(DealerRequestKind.End, 0, 0, 0);

    public static DealerRequest Triple(TripleRequest request) => request.Kind switch
    {
        TripleKind.Elementwise => new(DealerRequestKind.ElementwiseTriple, request.CountC, 0, 0),
        TripleKind.MatMul => new(DealerRequestKind.MatMulTriple, request.ShapeA[0], request.ShapeA[1], request.ShapeB[1]),
        _ => throw new NotSupportedException($"The dealer has no wire form for {request.Kind} triples."),
    };

    public byte[] Encode()
    {
        var bytes = new byte[Bytes];
        bytes[0] = (byte)Kind;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), First);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(5), Second);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(9), Third);
        return bytes;
    }

    /// <summary>Reads and checks a descriptor; a malformed one is an <see cref="InvalidDataException"/> saying what was wrong.</summary>
    public static DealerRequest Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Bytes)
        {
            throw new InvalidDataException($"Party 0 sent a {bytes.Length}-byte dealer request; a request has {Bytes} bytes.");
        }

        var request = new DealerRequest(
            (DealerRequestKind)bytes[0],
            BinaryPrimitives.ReadInt32LittleEndian(bytes[1..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[5..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[9..]));
        request.Check();
        return request;
    }

    private void Check()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new InvalidDataException($"Party 0 sent a dealer request of unknown kind {(byte)Kind}.");
        }

        if (First < 0 || Second < 0 || Third < 0)
        {
            throw new InvalidDataException($"Party 0 sent a {Kind} dealer request with a negative size ({First}, {Second}, {Third}).");
        }

        var elements = Kind switch
        {
            DealerRequestKind.MatMulTriple => Math.Max((long)First * Second, Math.Max((long)Second * Third, (long)First * Third)),
            DealerRequestKind.TruncationPair => 2L * First,
            _ => First,
        };
        if (elements > MaxElements)
        {
            throw new InvalidDataException(
                $"Party 0 sent a {Kind} dealer request for {elements} elements; one request may ask for at most {MaxElements}.");
        }

        if (Kind == DealerRequestKind.TruncationPair && Second is < 1 or > 62)
        {
            throw new InvalidDataException($"Party 0 sent a truncation-pair dealer request with shift {Second}; a shift is 1 to 62.");
        }
    }
}

/// <summary>The kinds of <see cref="DealerRequest"/>.</summary>
internal enum DealerRequestKind : byte
{
    End = 0,
    ElementwiseTriple = 1,
    MatMulTriple = 2,
    TruncationPair = 3,
    AndTriple = 4,
    EdaBits = 5,
    DaBits = 6,
}
