using System.Buffers.Binary;
using System.Security.Cryptography;
using Tessera.Mpc.Randomness;

namespace Tessera.Mpc.Tests;

public sealed class AesCtrPrgTests
{
    [Fact]
    public void Fill_MatchesAesOfCounterBlocks()
    {
        var seed = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        using var prg = new AesCtrPrg(seed);
        using var aes = Aes.Create();
        aes.Key = seed;

        var stream = prg.Next(1000);

        for (var block = 0; block < 500; block++)
        {
            var counter = new byte[16];
            BinaryPrimitives.WriteUInt64LittleEndian(counter, (ulong)block);
            var expected = aes.EncryptEcb(counter, PaddingMode.None);
            Assert.Equal(BinaryPrimitives.ReadUInt64LittleEndian(expected), stream[2 * block]);
            Assert.Equal(BinaryPrimitives.ReadUInt64LittleEndian(expected.AsSpan(8)), stream[(2 * block) + 1]);
        }
    }

    [Fact]
    public void Next_SameSeedSameLengths_SameStream()
    {
        var seed = AesCtrPrg.NewSeed();
        using var first = new AesCtrPrg(seed);
        using var second = new AesCtrPrg(seed);

        Assert.Equal(first.Next(7).Concat(first.Next(64)), second.Next(7).Concat(second.Next(64)));
    }

    [Fact]
    public void Next_OddLength_DiscardsHalfBlock()
    {
        var seed = AesCtrPrg.NewSeed();
        using var odd = new AesCtrPrg(seed);
        using var even = new AesCtrPrg(seed);

        var a = odd.Next(3).Concat(odd.Next(2)).ToArray();
        var b = even.Next(6);

        Assert.Equal(new[] { b[0], b[1], b[2], b[4], b[5] }, a);
    }

    [Fact]
    public void Next_DifferentSeeds_LookUniformAndDiffer()
    {
        using var first = new AesCtrPrg(AesCtrPrg.NewSeed());
        using var second = new AesCtrPrg(AesCtrPrg.NewSeed());

        var a = first.Next(100_000);
        var b = second.Next(100_000);

        Assert.NotEqual(a, b);
        var topBits = a.Count(v => (v >> 63) != 0);
        Assert.InRange(topBits, 49_000, 51_000);
    }

    [Fact]
    public void Arguments_Invalid_Throw()
    {
        Assert.Throws<ArgumentException>(() => new AesCtrPrg(new byte[15]));
        var prg = new AesCtrPrg(new byte[16]);
        Assert.Throws<ArgumentOutOfRangeException>(() => prg.Next(-1));
        prg.Dispose();
        Assert.Throws<ObjectDisposedException>(() => prg.Next(2));
        Assert.Throws<ArgumentNullException>(() => AesCtrPrg.NewSeed(null!));
    }
}
