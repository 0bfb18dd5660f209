using System.Buffers.Binary;
using System.IO.Compression;

namespace Tessera.Core.Tests.Data;

/// <summary>Builds small IDX files in memory.</summary>
internal static class IdxTestFiles
{
    public static byte[] Build(byte typeCode, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + (4 * dims.Length) + data.Length];
        bytes[2] = typeCode;
        bytes[3] = (byte)dims.Length;
        for (var i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + (4 * i)), (uint)dims[i]);
        }

        data.CopyTo(bytes, 4 + (4 * dims.Length));
        return bytes;
    }

    public static byte[] UBytes(int[] dims, Func<int, byte> value)
    {
        var count = dims.Aggregate(1, (a, d) => a * d);
        return Build(0x08, dims, Enumerable.Range(0, count).Select(value).ToArray());
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>A stream that hides its length, like a network or decompression stream.</summary>
    public sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
