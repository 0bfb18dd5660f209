using System.Buffers.Binary;
using Tessera.Node.Datasets;

namespace Tessera.Node.Tests;

public sealed class BufferedRandomSourceTests
{
    [Fact]
    public void NextBytes_ReadsAcrossBlocks_SameBytesInOrderAsInnerSource()
    {
        var expected = new byte[20_000];
        new SeededRandomSource(7).NextBytes(expected);
        var buffered = new BufferedRandomSource(new SeededRandomSource(7));
        var actual = new byte[expected.Length];
        var offset = 0;
        foreach (var size in Enumerable.Repeat(new[] { 1, 8, 4095, 5000, 3 }, 10).SelectMany(s => s))
        {
            var count = Math.Min(size, actual.Length - offset);
            buffered.NextBytes(actual.AsSpan(offset, count));
            offset += count;
        }

        Assert.Equal(actual.Length, offset);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void NextUInt64_IsTheNextEightBytesLittleEndian()
    {
        var bytes = new byte[16];
        new SeededRandomSource(3).NextBytes(bytes);
        var buffered = new BufferedRandomSource(new SeededRandomSource(3));
        Assert.Equal(BinaryPrimitives.ReadUInt64LittleEndian(bytes), buffered.NextUInt64());
        Assert.Equal(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)), buffered.NextUInt64());
    }
}
