using System.Buffers.Binary;
using Tessera.Serialization;

namespace Tessera.Data;

/// <summary>The parsed and validated header of an IDX file: element type code and dimensions.</summary>
internal sealed record IdxHeader(byte TypeCode, int[] Dimensions, long ElementCount)
{
    /// <summary>The largest rank accepted; real files have 1 to 4 dimensions.</summary>
    public const int MaxRank = 32;

    /// <summary>The size in bytes of one element.</summary>
    public int ElementSize => SizeOf(TypeCode);

    /// <summary>The size in bytes of the header itself.</summary>
    public int HeaderBytes => 4 + (4 * Dimensions.Length);

    /// <summary>The size in bytes of the element data.</summary>
    public long DataBytes => ElementCount * ElementSize;

    /// <summary>The size of one element of <paramref name="code"/>, or 0 for an unknown code.</summary>
    public static int SizeOf(byte code) => code switch
    {
        0x08 or 0x09 => 1,
        0x0B => 2,
        0x0C or 0x0D => 4,
        0x0E => 8,
        _ => 0,
    };

    /// <summary>The readable name of an element type code.</summary>
    public static string NameOf(byte code) => code switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => $"unknown (0x{code:X2})",
    };

    /// <summary>Parses the header after the 4 magic bytes have been read.</summary>
    public static IdxHeader Parse(ReadOnlySpan<byte> magic, Stream stream, string source, long maxElements)
    {
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new InvalidDataException(
                $"{source}: not an IDX file; the magic number must start with two zero bytes but starts with "
                + $"0x{magic[0]:X2} 0x{magic[1]:X2}.");
        }

        var code = magic[2];
        if (SizeOf(code) == 0)
        {
            throw new InvalidDataException(
                $"{source}: unknown IDX element type 0x{code:X2}; expected 0x08 (ubyte), 0x09 (sbyte), 0x0B (int16), "
                + "0x0C (int32), 0x0D (float32) or 0x0E (float64).");
        }

        var rank = magic[3];
        if (rank is 0 or > MaxRank)
        {
            throw new InvalidDataException($"{source}: IDX rank {rank} is not supported; it must be between 1 and {MaxRank}.");
        }

        Span<byte> dimBytes = stackalloc byte[4 * MaxRank];
        dimBytes = dimBytes[..(4 * rank)];
        StreamReading.ReadExactly(stream, dimBytes, source, $"the IDX header ({rank} dimensions)");
        var dims = new int[rank];
        var limit = Math.Min(maxElements, Array.MaxLength);
        long count = 1;
        var hasZero = false;
        for (var i = 0; i < rank; i++)
        {
            var d = BinaryPrimitives.ReadUInt32BigEndian(dimBytes.Slice(4 * i, 4));
            if (d > int.MaxValue)
            {
                throw new InvalidDataException($"{source}: IDX dimension {i} is {d}, larger than {int.MaxValue}.");
            }

            dims[i] = (int)d;
            hasZero |= d == 0;

            // count stays below 2^31 before each multiply and d below 2^31, so the product cannot overflow a long.
            if (count <= limit)
            {
                count *= d == 0 ? 1 : d;
            }
        }

        if (hasZero)
        {
            count = 0;
        }

        if (count > limit)
        {
            throw new InvalidDataException(
                $"{source}: the IDX header declares shape [{string.Join(", ", dims)}], more than the {limit} elements allowed.");
        }

        return new IdxHeader(code, dims, count);
    }
}
