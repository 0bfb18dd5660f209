using System.Runtime.InteropServices;
using Tessera.Mpc;
using Xunit;

namespace Tessera.Mpc.Tests;

public sealed class RingWireTests
{
    public static TheoryData<int, int> WidthsAndCounts()
    {
        var data = new TheoryData<int, int>();
        foreach (var width in Enumerable.Range(1, 8))
        {
            foreach (var count in new[] { 0, 1, 2, 3, 7, 8, 9, 1000 })
            {
                data.Add(width, count);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndCounts))]
    public void Narrow_ThenWiden_GivesBackTheLowBytesOfEveryElement(int width, int count)
    {
        var random = new Random((width * 1000) + count);
        var values = Enumerable.Range(0, count).Select(_ => (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40)).ToArray();
        var region = new byte[count * sizeof(ulong)];
        values.CopyTo(MemoryMarshal.Cast<byte, ulong>(region.AsSpan()));

        var packed = RingWire.Narrow(region, count, width);

        Assert.Equal(count * width, packed);
        var mask = width == 8 ? ulong.MaxValue : (1UL << (8 * width)) - 1;
        for (var i = 0; i < count; i++)
        {
            // Byte by byte: the packed stream is each element's low bytes, little-endian, back to back.
            for (var b = 0; b < width; b++)
            {
                Assert.Equal((byte)(values[i] >> (8 * b)), region[(i * width) + b]);
            }
        }

        // Widen from exactly the packed bytes (a copy, so no byte past them can be read) into a dirty destination.
        var exact = region.AsSpan(0, packed).ToArray();
        var widened = Enumerable.Repeat(ulong.MaxValue, count).ToArray();
        RingWire.Widen(exact, width, widened);
        Assert.Equal(values.Select(v => v & mask), widened);
    }

    [Fact]
    public void Widen_FromTooFewBytes_IsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RingWire.Widen(new byte[11], 3, new ulong[4]));
        Assert.Contains("packed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Narrow_MoreElementsThanTheRegionHolds_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RingWire.Narrow(new byte[16], 3, 2));
    }
}
