using System.Buffers.Binary;

namespace Tessera.Serialization;

/// <summary>Reads and writes the safetensors format: named tensors with a JSON header, safe to load from untrusted sources.</summary>
/// <remarks>
/// <para>
/// Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON (padded with spaces to a multiple of 8), then the
/// tensor data, little-endian, row-major, in the order of their <c>data_offsets</c>, without gaps. Each header entry is
/// <c>{"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}</c>; an optional <c>"__metadata__"</c> entry maps
/// strings to strings.
/// </para>
/// <para>
/// The writer orders tensors as the reference implementation does (descending dtype alignment, then name) and writes
/// compact JSON, so its output is byte-identical to it. The reader checks the header length, every entry and the offsets
/// (no gaps, no overlaps, covering the data exactly) before it allocates any tensor. F32, F64, I64, U64 and BOOL map to
/// the dtypes of the same width; U8, I8, I16, U16, I32 and U32 widen to Int64; F16 and BF16 widen to Float32.
/// </para>
/// </remarks>
public static class SafeTensors
{
    /// <summary>The largest header accepted, as the format specifies (100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Writes <paramref name="tensors"/> to the file at <paramref name="path"/>, replacing it only once complete.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="tensors">The tensors by name; a name may not be "__metadata__".</param>
    /// <param name="metadata">Optional string metadata.</param>
    /// <exception cref="ArgumentException">The path is empty or a tensor name is reserved.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Write(stream, tensors, metadata);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes <paramref name="tensors"/> in safetensors format to <paramref name="stream"/>.</summary>
    /// <param name="stream">The destination; it is not disposed.</param>
    /// <param name="tensors">The tensors by name; a name may not be "__metadata__".</param>
    /// <param name="metadata">Optional string metadata.</param>
    /// <exception cref="ArgumentException">A tensor name is reserved.</exception>
    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors I/O is implemented for little-endian machines only.");
        }

        foreach (var (name, tensor) in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            if (name == SafeTensorsHeader.MetadataKey)
            {
                throw new ArgumentException($"A tensor cannot be named '{SafeTensorsHeader.MetadataKey}'; the format reserves it.", nameof(tensors));
            }
        }

        var ordered = tensors
            .OrderBy(p => SafeTensorsEntry.WriteRank(p.Value.DType))
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (p.Key, p.Value))
            .ToList();
        var header = SafeTensorsHeader.Build(ordered, metadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var (_, tensor) in ordered)
        {
            var contiguous = tensor.Contiguous();
            switch (contiguous.DType)
            {
                case DType.Float32: StreamReading.WriteElements<float>(stream, contiguous.AsSpan<float>()); break;
                case DType.Float64: StreamReading.WriteElements<double>(stream, contiguous.AsSpan<double>()); break;
                case DType.Int64: StreamReading.WriteElements<long>(stream, contiguous.AsSpan<long>()); break;
                case DType.UInt64: StreamReading.WriteElements<ulong>(stream, contiguous.AsSpan<ulong>()); break;
                default: StreamReading.WriteElements<bool>(stream, contiguous.AsSpan<bool>()); break;
            }
        }
    }

    /// <summary>Reads the safetensors file at <paramref name="path"/>.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The tensors and metadata.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="InvalidDataException">The file is not valid safetensors; the message names the file and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SafeTensorsFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads one safetensors document from <paramref name="stream"/>, which must hold nothing after it.</summary>
    /// <param name="stream">The source, positioned at the header length; it is not disposed.</param>
    /// <param name="sourceName">The name used in error messages.</param>
    /// <returns>The tensors (in data order) and metadata.</returns>
    /// <exception cref="InvalidDataException">The content is not valid safetensors.</exception>
    public static SafeTensorsFile Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors I/O is implemented for little-endian machines only.");
        }

        var remaining = StreamReading.Remaining(stream);
        Span<byte> lengthBytes = stackalloc byte[8];
        StreamReading.ReadExactly(stream, lengthBytes, sourceName, "the 8-byte header length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes)
        {
            throw new InvalidDataException(
                $"{sourceName}: the safetensors header length is {headerLength} bytes, more than the {MaxHeaderBytes} the format allows.");
        }

        if (remaining is { } total && (long)headerLength > total - 8)
        {
            throw new InvalidDataException(
                $"{sourceName}: the file is truncated; the header length is {headerLength} bytes but only {total - 8} bytes follow.");
        }

        var headerBytes = StreamReading.ReadGrowing(stream, (long)headerLength, sourceName, "the safetensors header");
        var (entries, metadata, dataLength) = SafeTensorsHeader.Parse(headerBytes, sourceName);
        if (remaining is { } all && all - 8 - (long)headerLength != dataLength)
        {
            var actual = all - 8 - (long)headerLength;
            throw new InvalidDataException(
                $"{sourceName}: the header's data_offsets cover {dataLength} bytes but the file holds {actual} bytes of tensor data"
                + (actual < dataLength ? " (the file is truncated)." : " (there are bytes no tensor claims)."));
        }

        var tensors = new Dictionary<string, Tensor>(entries.Count, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            tensors.Add(entry.Name, ReadTensor(stream, entry, sourceName, verifiedLength: remaining is not null));
        }

        if (remaining is null && stream.ReadByte() >= 0)
        {
            throw new InvalidDataException($"{sourceName}: there are bytes after the {dataLength} bytes of tensor data the header declares.");
        }

        return new SafeTensorsFile(tensors, metadata);
    }

    private static Tensor ReadTensor(Stream stream, SafeTensorsEntry entry, string sourceName, bool verifiedLength)
    {
        var what = $"tensor '{entry.Name}' ({entry.DTypeCode}, [{string.Join(", ", entry.Shape)}])";

        // With an unverified length, buffer large tensors as their bytes arrive rather than trusting the header's size.
        var source = stream;
        if (!verifiedLength && entry.ByteLength > StreamReading.ChunkBytes * 16L)
        {
            source = new MemoryStream(StreamReading.ReadGrowing(stream, entry.ByteLength, sourceName, what), writable: false);
        }

        var count = (int)entry.ElementCount;
        var shape = entry.Shape;
        switch (entry.DTypeCode)
        {
            case "F32":
                return ReadDirect<float>(source, count, shape, sourceName, what);
            case "F64":
                return ReadDirect<double>(source, count, shape, sourceName, what);
            case "I64":
                return ReadDirect<long>(source, count, shape, sourceName, what);
            case "U64":
                return ReadDirect<ulong>(source, count, shape, sourceName, what);
            case "BOOL":
                var bytes = new byte[count];
                StreamReading.ReadExactly(source, bytes, sourceName, what);
                var invalid = bytes.AsSpan().IndexOfAnyExcept((byte)0, (byte)1);
                if (invalid >= 0)
                {
                    throw new InvalidDataException($"{sourceName}: {what} has the byte {bytes[invalid]} at element {invalid}; BOOL elements must be 0 or 1.");
                }

                return Tensor.FromArray(Array.ConvertAll(bytes, b => b != 0), shape);
            default:
                return ReadWidened(source, entry, count, sourceName, what);
        }
    }

    private static Tensor ReadDirect<T>(Stream stream, int count, int[] shape, string sourceName, string what)
        where T : unmanaged
    {
        var data = new T[count];
        StreamReading.ReadElements(stream, data, sourceName, what);
        return Tensor.FromArray(data, shape);
    }

    private static Tensor ReadWidened(Stream stream, SafeTensorsEntry entry, int count, string sourceName, string what)
    {
        var size = SafeTensorsEntry.SizeOf(entry.DTypeCode);
        var isHalf = entry.DTypeCode is "F16" or "BF16";
        var longs = isHalf ? null : new long[count];
        var floats = isHalf ? new float[count] : null;
        var chunk = new byte[StreamReading.ChunkBytes];
        var perChunk = chunk.Length / size;
        for (var start = 0; start < count; start += perChunk)
        {
            var n = Math.Min(perChunk, count - start);
            var raw = chunk.AsSpan(0, n * size);
            StreamReading.ReadExactly(stream, raw, sourceName, what);
            for (var i = 0; i < n; i++)
            {
                var at = raw.Slice(i * size, size);
                switch (entry.DTypeCode)
                {
                    case "U8": longs![start + i] = at[0]; break;
                    case "I8": longs![start + i] = (sbyte)at[0]; break;
                    case "I16": longs![start + i] = BinaryPrimitives.ReadInt16LittleEndian(at); break;
                    case "U16": longs![start + i] = BinaryPrimitives.ReadUInt16LittleEndian(at); break;
                    case "I32": longs![start + i] = BinaryPrimitives.ReadInt32LittleEndian(at); break;
                    case "U32": longs![start + i] = BinaryPrimitives.ReadUInt32LittleEndian(at); break;
                    case "F16": floats![start + i] = (float)BinaryPrimitives.ReadHalfLittleEndian(at); break;
                    default: floats![start + i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(at) << 16); break;
                }
            }
        }

        return isHalf ? Tensor.FromArray(floats!, entry.Shape) : Tensor.FromArray(longs!, entry.Shape);
    }
}
