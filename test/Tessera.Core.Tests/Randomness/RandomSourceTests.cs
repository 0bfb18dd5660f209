namespace Tessera.Core.Tests.Randomness;

public class RandomSourceTests
{
    [Fact]
    public void Seeded_SameSeed_SameSequence()
    {
        var a = new SeededRandomSource(42);
        var b = new SeededRandomSource(42);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
        }
    }

    [Fact]
    public void Seeded_DifferentSeeds_Differ() => Assert.NotEqual(new SeededRandomSource(1).NextUInt64(), new SeededRandomSource(2).NextUInt64());

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(13)]
    public void NextBytes_FillsEveryLength(int length)
    {
        var bytes = new byte[length + 2];
        new SeededRandomSource(3).NextBytes(bytes.AsSpan(1, length));
        Assert.Equal(0, bytes[0]);
        Assert.Equal(0, bytes[^1]);
        if (length >= 8)
        {
            Assert.Contains(bytes.Skip(1).Take(length), b => b != 0);
        }
    }

    [Fact]
    public void Crypto_ProducesDistinctValues()
    {
        var values = Enumerable.Range(0, 64).Select(_ => CryptoRandomSource.Instance.NextUInt64()).ToHashSet();
        Assert.Equal(64, values.Count);
        var bytes = new byte[32];
        CryptoRandomSource.Instance.NextBytes(bytes);
        Assert.Contains(bytes, b => b != 0);
    }

    [Fact]
    public void NextDouble_InUnitInterval_WithUniformMean()
    {
        var rng = new SeededRandomSource(5);
        var values = Enumerable.Range(0, 20000).Select(_ => rng.NextDouble()).ToArray();
        Assert.All(values, v => Assert.InRange(v, 0.0, 0.9999999999));
        Assert.InRange(values.Average(), 0.49, 0.51);
    }

    [Fact]
    public void NextInt_CoversRangeWithoutBias()
    {
        var rng = new SeededRandomSource(6);
        var counts = new int[3];
        for (var i = 0; i < 30000; i++)
        {
            counts[rng.NextInt(3)]++;
        }

        // Each count ~ Binomial(30000, 1/3): sd ~ 82, so +-500 is over 6 sigma.
        Assert.All(counts, c => Assert.InRange(c, 9500, 10500));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void NextInt_NonPositiveBound_Throws(int bound) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeededRandomSource(1).NextInt(bound));

    [Fact]
    public void NextGaussian_HasStandardMoments()
    {
        var rng = new SeededRandomSource(8);
        var values = Enumerable.Range(0, 40000).Select(_ => rng.NextGaussian()).ToArray();
        var mean = values.Average();
        var variance = values.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.03, 0.03);
        Assert.InRange(variance, 0.96, 1.04);
    }

    [Fact]
    public void Shuffle_IsPermutation()
    {
        var values = Enumerable.Range(0, 100).ToArray();
        new SeededRandomSource(9).Shuffle(values.AsSpan());
        Assert.NotEqual(Enumerable.Range(0, 100), values);
        Assert.Equal(Enumerable.Range(0, 100), values.Order());
    }
}
