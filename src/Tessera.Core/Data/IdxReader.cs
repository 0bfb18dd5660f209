using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Tessera.Serialization;

namespace Tessera.Data;

/// <summary>Reads IDX files (the MNIST format), plain or gzip-compressed, into tensors.</summary>
/// <remarks>
/// An IDX file is a 4-byte magic number (two zero bytes, an element type code, the rank), one big-endian 32-bit size per
/// dimension, then the elements in row-major order, big-endian. The header is checked against the data length before the
/// result is allocated; a compressed stream is read as it arrives, so a header that lies about its size fails with a
/// truncation error rather than a huge allocation.
/// </remarks>
public static class IdxReader
{
    private static readonly IdxReadOptions DefaultOptions = new();

    /// <summary>Reads the IDX file at <paramref name="path"/>; gzip compression is detected from the content.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="options">Conversion options; null for the defaults.</param>
    /// <returns>A contiguous tensor with the file's dimensions.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or the options do not fit the file.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX file; the message names the file and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Tensor Read(string path, IdxReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path, options);
    }

    /// <summary>Reads one IDX file from <paramref name="stream"/>, which must hold nothing after it.</summary>
    /// <param name="stream">The stream, positioned at the magic number (or the gzip header); it is not disposed.</param>
    /// <param name="sourceName">The name used in error messages, such as the file name.</param>
    /// <param name="options">Conversion options; null for the defaults.</param>
    /// <returns>A contiguous tensor with the file's dimensions.</returns>
    /// <exception cref="ArgumentException">The options do not fit the file's element type.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid IDX file.</exception>
    public static Tensor Read(Stream stream, string sourceName, IdxReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        options ??= DefaultOptions;
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxElements, nameof(options));

        var gzip = OpenDecompressed(stream, sourceName, out var magic);
        try
        {
            return ReadBody(gzip ?? stream, magic, sourceName, options);
        }
        catch (InvalidDataException ex) when (gzip is not null && !ex.Message.StartsWith(sourceName, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{sourceName}: the gzip data is corrupt: {ex.Message}", ex);
        }
        finally
        {
            gzip?.Dispose();
        }
    }

    private static Tensor ReadBody(Stream input, byte[] magic, string sourceName, IdxReadOptions options)
    {
        var header = IdxHeader.Parse(magic, input, sourceName, options.MaxElements);
        var dtype = ResolveDType(header.TypeCode, options, sourceName);

        // A plain seekable file is checked against its length up front; anything else is buffered as it arrives.
        Stream data = input;
        var remaining = StreamReading.Remaining(input);
        if (remaining is null)
        {
            var bytes = StreamReading.ReadGrowing(input, header.DataBytes, sourceName, $"the IDX data of shape {Format(header)}");
            CheckNoTrailingBytes(input, sourceName, header);
            data = new MemoryStream(bytes, writable: false);
        }
        else if (remaining.Value != header.DataBytes)
        {
            var kind = remaining.Value < header.DataBytes ? "is truncated" : "has trailing bytes";
            throw new InvalidDataException(
                $"{sourceName}: the file {kind}; the header declares shape {Format(header)} of {IdxHeader.NameOf(header.TypeCode)} "
                + $"({header.DataBytes} data bytes) but {remaining.Value} bytes follow the header.");
        }

        var count = (int)header.ElementCount;
        Tensor result;
        switch (dtype)
        {
            case DType.Float32:
                var floats = new float[count];
                Decode(data, header, floats, sourceName, static v => (float)v);
                if (options.ScaleToUnitRange)
                {
                    TensorPrimitives.Divide(floats, 255f, floats);
                }

                result = Tensor.FromArray(floats, header.Dimensions);
                break;
            case DType.Float64:
                var doubles = new double[count];
                Decode(data, header, doubles, sourceName, static v => v);
                if (options.ScaleToUnitRange)
                {
                    TensorPrimitives.Divide(doubles, 255.0, doubles);
                }

                result = Tensor.FromArray(doubles, header.Dimensions);
                break;
            default:
                var longs = new long[count];
                Decode(data, header, longs, sourceName, static v => (long)v);
                result = Tensor.FromArray(longs, header.Dimensions);
                break;
        }

        return result;
    }

    /// <summary>
    /// Reads the magic number; when the content starts with the gzip signature 1f 8b, returns a decompressing stream
    /// (positioned after the inner magic number) that the caller disposes, otherwise null.
    /// </summary>
    internal static Stream? OpenDecompressed(Stream stream, string sourceName, out byte[] magic)
    {
        magic = new byte[4];
        StreamReading.ReadExactly(stream, magic, sourceName, "the IDX magic number");
        if (magic[0] != 0x1f || magic[1] != 0x8b)
        {
            return null;
        }

        var gzip = new GZipStream(new PrefixedStream(magic, stream, leaveOpen: true), CompressionMode.Decompress, leaveOpen: false);
        magic = new byte[4];
        try
        {
            StreamReading.ReadExactly(gzip, magic, sourceName, "the IDX magic number inside the gzip data");
            return gzip;
        }
        catch (InvalidDataException ex)
        {
            gzip.Dispose();
            if (ex.Message.StartsWith(sourceName, StringComparison.Ordinal))
            {
                throw;
            }

            throw new InvalidDataException($"{sourceName}: the gzip data is corrupt: {ex.Message}", ex);
        }
    }

    private static DType ResolveDType(byte code, IdxReadOptions options, string sourceName)
    {
        var isFloat = code is 0x0D or 0x0E;
        if (options.ScaleToUnitRange && code != 0x08)
        {
            throw new ArgumentException(
                $"{sourceName}: ScaleToUnitRange applies only to unsigned-byte IDX files, but this file holds "
                + $"{IdxHeader.NameOf(code)} elements.",
                nameof(options));
        }

        var dtype = options.DType ?? (options.ScaleToUnitRange ? DType.Float32 : code switch
        {
            0x0D => DType.Float32,
            0x0E => DType.Float64,
            _ => DType.Int64,
        });
        var ok = dtype switch
        {
            DType.Float32 or DType.Float64 => true,
            DType.Int64 => !isFloat && !options.ScaleToUnitRange,
            _ => false,
        };
        if (!ok)
        {
            throw new ArgumentException(
                $"{sourceName}: cannot read {IdxHeader.NameOf(code)} IDX elements as {dtype}"
                + (options.ScaleToUnitRange ? " with ScaleToUnitRange" : string.Empty) + "; use Float32, Float64"
                + (isFloat ? "." : " or Int64."),
                nameof(options));
        }

        return dtype;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Decode<T>(Stream data, IdxHeader header, T[] destination, string sourceName, Func<double, T> convert)
        where T : unmanaged
    {
        var size = header.ElementSize;
        var code = header.TypeCode;
        var chunk = new byte[Math.Max(size, StreamReading.ChunkBytes / size * size)];
        var perChunk = chunk.Length / size;
        for (var start = 0; start < destination.Length; start += perChunk)
        {
            var n = Math.Min(perChunk, destination.Length - start);
            var raw = chunk.AsSpan(0, n * size);
            StreamReading.ReadExactly(data, raw, sourceName, "the IDX data");
            var dst = destination.AsSpan(start, n);
            if (code == 0x08 && typeof(T) == typeof(float))
            {
                // The MNIST image path: a vectorised widening instead of a per-element switch.
                TensorPrimitives.ConvertTruncating<byte, float>(raw, System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(dst));
                continue;
            }

            for (var i = 0; i < n; i++)
            {
                // Every IDX element type is exactly representable as a double, so one conversion path serves all.
                double v = code switch
                {
                    0x08 => raw[i],
                    0x09 => (sbyte)raw[i],
                    0x0B => BinaryPrimitives.ReadInt16BigEndian(raw.Slice(2 * i, 2)),
                    0x0C => BinaryPrimitives.ReadInt32BigEndian(raw.Slice(4 * i, 4)),
                    0x0D => BinaryPrimitives.ReadSingleBigEndian(raw.Slice(4 * i, 4)),
                    _ => BinaryPrimitives.ReadDoubleBigEndian(raw.Slice(8 * i, 8)),
                };
                dst[i] = convert(v);
            }
        }
    }

    private static void CheckNoTrailingBytes(Stream input, string sourceName, IdxHeader header)
    {
        if (input.ReadByte() >= 0)
        {
            throw new InvalidDataException(
                $"{sourceName}: the file has trailing bytes after the {header.DataBytes} data bytes its header declares "
                + $"(shape {Format(header)}).");
        }
    }

    private static string Format(IdxHeader header) => $"[{string.Join(", ", header.Dimensions)}]";
}
