using System.Runtime.InteropServices;

namespace Tessera.Serialization;

/// <summary>Bounded reads from untrusted streams: nothing is allocated for bytes that have not arrived.</summary>
internal static class StreamReading
{
    /// <summary>The largest chunk read or written at once; keeps spans far below int.MaxValue bytes.</summary>
    public const int ChunkBytes = 1 << 20;

    /// <summary>Fills <paramref name="buffer"/> or throws a message naming the source and the field that was cut short.</summary>
    public static void ReadExactly(Stream stream, Span<byte> buffer, string source, string what)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                throw new InvalidDataException(
                    $"{source}: the file is truncated; {what} needs {buffer.Length} bytes but only {total} are left.");
            }

            total += n;
        }
    }

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes into a new array that grows as data arrives, so a header that claims
    /// gigabytes on a short stream fails with a truncation error instead of a huge allocation.
    /// </summary>
    public static byte[] ReadGrowing(Stream stream, long count, string source, string what)
    {
        if (count > Array.MaxLength)
        {
            throw new InvalidDataException($"{source}: {what} declares {count} bytes, more than one array can hold ({Array.MaxLength}).");
        }

        var buffer = new byte[(int)Math.Min(count, ChunkBytes)];
        var total = 0;
        while (total < count)
        {
            if (total == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(count, Math.Max((long)buffer.Length * 2, ChunkBytes)));
            }

            var n = stream.Read(buffer, total, buffer.Length - total);
            if (n == 0)
            {
                throw new InvalidDataException(
                    $"{source}: the file is truncated; {what} declares {count} bytes but only {total} are present.");
            }

            total += n;
        }

        return buffer;
    }

    /// <summary>The bytes left after the current position, or null when the stream cannot tell.</summary>
    public static long? Remaining(Stream stream)
    {
        if (!stream.CanSeek)
        {
            return null;
        }

        try
        {
            return stream.Length - stream.Position;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Fills <paramref name="destination"/> with raw little-endian element bytes, chunk by chunk.</summary>
    public static void ReadElements<T>(Stream stream, T[] destination, string source, string what)
        where T : unmanaged
    {
        var elementSize = Marshal.SizeOf<T>();
        var perChunk = Math.Max(1, ChunkBytes / elementSize);
        for (var start = 0; start < destination.Length; start += perChunk)
        {
            var length = Math.Min(perChunk, destination.Length - start);
            ReadExactly(stream, MemoryMarshal.AsBytes(destination.AsSpan(start, length)), source, what);
        }
    }

    /// <summary>Writes the raw little-endian bytes of <paramref name="values"/>, chunk by chunk.</summary>
    public static void WriteElements<T>(Stream stream, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        var elementSize = Marshal.SizeOf<T>();
        var perChunk = Math.Max(1, ChunkBytes / elementSize);
        for (var start = 0; start < values.Length; start += perChunk)
        {
            var length = Math.Min(perChunk, values.Length - start);
            stream.Write(MemoryMarshal.AsBytes(values.Slice(start, length)));
        }
    }
}
