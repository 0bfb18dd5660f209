using System.Buffers.Binary;

namespace Tessera.Mpc.Providers;

/// <summary>
/// The descriptor party 0 sends the dealer in <see cref="DealerMode.OnRequest"/>: one kind byte and little-endian 32-bit
/// sizes, three for most kinds (13 bytes) and nine for a convolution triple (N, C, H, W, O, kh, kw, stride, padding: 37
/// bytes). Sizes and kinds are public (they follow from the program and the shapes); no value travels.
/// </summary>
internal readonly record struct DealerRequest(DealerRequestKind Kind, int[] Sizes)
{
    /// <summary>The most ring elements one request may ask for (2^28, 2 GiB of material): a bound on what a frame can make the dealer allocate.</summary>
    public const long MaxElements = 1L << 28;

    public DealerRequest(DealerRequestKind kind, int first, int second, int third)
        : this(kind, [first, second, third])
    {
    }

    public static DealerRequest End => new(DealerRequestKind.End, 0, 0, 0);

    public int First => Sizes[0];

    public int Second => Sizes[1];

    public int Third => Sizes[2];

    /// <summary>The descriptor of <paramref name="count"/> truncation pairs for a shift of <paramref name="shift"/> bits.</summary>
    public static DealerRequest TruncationPair(int count, int shift) => new(DealerRequestKind.TruncationPair, count, shift, 0);

    /// <summary>The descriptor of <paramref name="count"/> squaring truncation pairs for a shift of <paramref name="shift"/> bits.</summary>
    public static DealerRequest SquaringTruncationPair(int count, int shift) => new(DealerRequestKind.SquaringTruncationPair, count, shift, 0);

    /// <summary>The descriptor of an AND-triple, sign-tree-triple, edaBits or daBits request of <paramref name="count"/>.</summary>
    public static DealerRequest Binary(DealerRequestKind kind, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new(kind, count, 0, 0);
    }

    /// <summary>Whether <paramref name="other"/> asks for the same kind and sizes.</summary>
    public bool SameAs(DealerRequest other) => Kind == other.Kind && Sizes.AsSpan().SequenceEqual(other.Sizes);

    /// <inheritdoc/>
    public override string ToString() => $"{Kind}({string.Join(", ", Sizes)})";

    public static DealerRequest Triple(TripleRequest request) => request.Kind switch
    {
        TripleKind.Elementwise => new(DealerRequestKind.ElementwiseTriple, request.CountC, 0, 0),
        TripleKind.Square => new(DealerRequestKind.SquareTriple, request.CountC, 0, 0),
        TripleKind.MatMul => new(DealerRequestKind.MatMulTriple, request.ShapeA[0], request.ShapeA[1], request.ShapeB[1]),
        TripleKind.Conv2d => new(DealerRequestKind.Conv2dTriple, [.. request.ShapeA, .. request.ShapeB.Take(1), .. request.ShapeB.Skip(2), request.Stride, request.Padding]),
        _ => throw new NotSupportedException($"The dealer has no wire form for {request.Kind} triples."),
    };

    /// <summary>The triple a conv2d request describes.</summary>
    public TripleRequest Conv2dTriple() =>
        TripleRequest.Conv2d([Sizes[0], Sizes[1], Sizes[2], Sizes[3]], [Sizes[4], Sizes[1], Sizes[5], Sizes[6]], Sizes[7], Sizes[8]);

    public byte[] Encode()
    {
        var bytes = new byte[1 + (4 * Sizes.Length)];
        bytes[0] = (byte)Kind;
        for (var i = 0; i < Sizes.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1 + (4 * i)), Sizes[i]);
        }

        return bytes;
    }

    /// <summary>Reads and checks a descriptor; a malformed one is an <see cref="InvalidDataException"/> saying what was wrong.</summary>
    public static DealerRequest Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0 || !Enum.IsDefined((DealerRequestKind)bytes[0]))
        {
            throw new InvalidDataException(bytes.Length == 0
                ? "Party 0 sent an empty dealer request."
                : $"Party 0 sent a dealer request of unknown kind {bytes[0]}.");
        }

        var kind = (DealerRequestKind)bytes[0];
        var count = kind == DealerRequestKind.Conv2dTriple ? 9 : 3;
        if (bytes.Length != 1 + (4 * count))
        {
            throw new InvalidDataException($"Party 0 sent a {bytes.Length}-byte {kind} dealer request; it has {1 + (4 * count)} bytes.");
        }

        var sizes = new int[count];
        for (var i = 0; i < count; i++)
        {
            sizes[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(1 + (4 * i))..]);
        }

        var request = new DealerRequest(kind, sizes);
        request.Check();
        return request;
    }

    private void Check()
    {
        if (Sizes.Any(s => s < 0))
        {
            throw new InvalidDataException($"Party 0 sent a {Kind} dealer request with a negative size ({string.Join(", ", Sizes)}).");
        }

        var elements = Kind switch
        {
            DealerRequestKind.MatMulTriple => Math.Max((long)First * Second, Math.Max((long)Second * Third, (long)First * Third)),
            DealerRequestKind.TruncationPair => 2L * First,
            DealerRequestKind.BitProducts => 3L * First,
            DealerRequestKind.SquaringTruncationPair => 5L * First,
            DealerRequestKind.SignTreeTriple => 2L * First,
            DealerRequestKind.Conv2dTriple => Math.Max((long)Sizes[0] * Sizes[1] * Sizes[2] * Sizes[3], (long)Sizes[4] * Sizes[1] * Sizes[5] * Sizes[6]),
            _ => First,
        };
        if (elements > MaxElements)
        {
            throw new InvalidDataException(
                $"Party 0 sent a {Kind} dealer request for {elements} elements; one request may ask for at most {MaxElements}.");
        }

        if (Kind is DealerRequestKind.TruncationPair or DealerRequestKind.SquaringTruncationPair && Second is < 1 or > 62)
        {
            throw new InvalidDataException($"Party 0 sent a truncation-pair dealer request with shift {Second}; a shift is 1 to 62.");
        }

        if (Kind == DealerRequestKind.Conv2dTriple)
        {
            try
            {
                var g = Conv2dTriple().Geometry;
                if ((long)g.Batch * g.OutChannels * g.OutHeight * g.OutWidth > MaxElements || (long)g.Taps * g.Columns > MaxElements)
                {
                    throw new InvalidDataException($"Party 0 sent a conv2d dealer request whose output or unfolding exceeds {MaxElements} elements.");
                }
            }
            catch (ArgumentException ex)
            {
                throw new InvalidDataException($"Party 0 sent a conv2d dealer request that is no convolution: {ex.Message}", ex);
            }
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
    Conv2dTriple = 7,
    SquareTriple = 8,
    BitProducts = 9,
    SquaringTruncationPair = 10,
    SignTreeTriple = 11,
}
