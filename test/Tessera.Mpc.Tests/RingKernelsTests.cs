namespace Tessera.Mpc.Tests;

/// <summary>The vectorised ring kernels against plain scalar loops, on lengths around and off the vector width.</summary>
public sealed class RingKernelsTests
{
    public static TheoryData<int> Lengths => [0, 1, 7, 8, 9, 15, 16, 17, 31, 1000, 1003];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AddWithConstant_AnyLength_EqualsScalarSum(int n)
    {
        var (x, y) = (Random(n, 1), Random(n, 2));
        const ulong constant = 1UL << 62;
        var destination = new ulong[n];
        RingKernels.AddWithConstant(x, y, constant, destination);
        Assert.Equal(Enumerable.Range(0, n).Select(i => unchecked(x[i] + y[i] + constant)), destination);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void BeaverCombine_AnyLength_EqualsScalarFormula(int n)
    {
        var (x, f, e, b, c) = (Random(n, 3), Random(n, 4), Random(n, 5), Random(n, 6), Random(n, 7));
        var destination = new ulong[n];
        RingKernels.BeaverCombine(x, f, e, b, c, destination);
        Assert.Equal(Enumerable.Range(0, n).Select(i => unchecked((x[i] * f[i]) + (e[i] * b[i]) + c[i])), destination);
    }

    [Theory]
    [InlineData(0, 16, true)]
    [InlineData(1, 1, false)]
    [InlineData(9, 16, true)]
    [InlineData(17, 22, false)]
    [InlineData(1003, 24, true)]
    [InlineData(1003, 62, false)]
    public void SquaringTruncationCombine_AnyLengthAndShift_EqualsScalarFormula(int n, int shift, bool first)
    {
        var (c, shifted, square, shiftedTop, y) = (Random(n, 20), Random(n, 21), Random(n, 22), Random(n, 23), Random(n, 24));
        var top = Random(n, 25).Select(v => v & 1).ToArray();
        var (offset, addend) = (1UL << (62 - shift), 0x1234_5678UL);
        var truncated = (ulong[])y.Clone();
        var result = new ulong[n];
        RingKernels.SquaringTruncationCombine(c, shifted, top, square, shiftedTop, shift, offset, addend, first, truncated, result);
        for (var i = 0; i < n; i++)
        {
            unchecked
            {
                var q = (c[i] >> shift) - offset + addend;
                var k = c[i] >> 63 == 0 ? 1UL << (64 - shift) : 0UL;
                var rPrime = (k * top[i]) - shifted[i];
                var expected = (2 * q * rPrime) + square[i] - (2 * k * shiftedTop[i]) + (k * k * top[i]) + (first ? q * q : 0);
                Assert.Equal(expected, result[i]);
                Assert.Equal(first ? y[i] + addend : y[i], truncated[i]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SquaringTruncationCorrection_AnyLength_EqualsScalarFormula(int n)
    {
        const int shift = 24;
        var (r, a, b, c, d) = (Random(n, 30), Random(n, 31), Random(n, 32), Random(n, 33), Random(n, 34));
        var (shifted, square, top, shiftedTop) = (new ulong[n], new ulong[n], new ulong[n], new ulong[n]);
        RingKernels.SquaringTruncationCorrection(r, a, b, c, d, shift, shifted, square, top, shiftedTop);
        Assert.Equal(Enumerable.Range(0, n).Select(i => unchecked((r[i] >> shift) - a[i])), shifted);
        Assert.Equal(Enumerable.Range(0, n).Select(i => unchecked(((r[i] >> shift) * (r[i] >> shift)) - b[i])), square);
        Assert.Equal(Enumerable.Range(0, n).Select(i => unchecked((r[i] >> 63) - c[i])), top);
        Assert.Equal(Enumerable.Range(0, n).Select(i => unchecked(((r[i] >> shift) * (r[i] >> 63)) - d[i])), shiftedTop);
    }

    [Theory]
    [InlineData(0, 16)]
    [InlineData(1, 1)]
    [InlineData(9, 16)]
    [InlineData(17, 22)]
    [InlineData(1003, 16)]
    [InlineData(1003, 62)]
    public void TruncationCombine_AnyLengthAndShift_EqualsScalarFormula(int n, int shift)
    {
        var (c, shifted) = (Random(n, 8), Random(n, 9));
        var topBit = Random(n, 10).Select(v => v & 1).ToArray();
        var offset = 1UL << (62 - shift);
        foreach (var isFirst in new[] { false, true })
        {
            var destination = new ulong[n];
            RingKernels.TruncationCombine(c, shifted, topBit, shift, isFirst, offset, destination);
            var expected = Enumerable.Range(0, n).Select(i =>
            {
                var share = unchecked((((c[i] >> 63) ^ 1UL) * topBit[i] << (64 - shift)) - shifted[i]);
                return isFirst ? unchecked(share + (c[i] >> shift) - offset) : share;
            });
            Assert.Equal(expected, destination);
        }
    }

    [Fact]
    public void TruncationCombine_LengthsDiffer_ThrowsNamingThem()
    {
        var error = Assert.Throws<ArgumentException>(() => RingKernels.TruncationCombine(new ulong[3], new ulong[3], new ulong[2], 16, true, 0, new ulong[3]));
        Assert.Contains("3, 3, 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void MultiplySubtract_AnyLength_EqualsScalarFormula(int n)
    {
        var (x, y, z) = (Random(n, 11), Random(n, 12), Random(n, 13));
        var destination = new ulong[n];
        RingKernels.MultiplySubtract(x, y, z, destination);
        Assert.Equal(Enumerable.Range(0, n).Select(i => unchecked((x[i] * y[i]) - z[i])), destination);
    }

    [Theory]
    [InlineData(0, 16)]
    [InlineData(1, 1)]
    [InlineData(9, 16)]
    [InlineData(17, 22)]
    [InlineData(1003, 62)]
    public void TruncationCorrection_AnyLengthAndShift_EqualsScalarFormula(int n, int shift)
    {
        var (r, shifted, topBit) = (Random(n, 14), Random(n, 15), Random(n, 16));
        var (shiftedCorrection, topBitCorrection) = (new ulong[n], new ulong[n]);
        RingKernels.TruncationCorrection(r, shifted, topBit, shift, shiftedCorrection, topBitCorrection);
        Assert.Equal(Enumerable.Range(0, n).Select(i => unchecked((r[i] >> shift) - shifted[i])), shiftedCorrection);
        Assert.Equal(Enumerable.Range(0, n).Select(i => unchecked((r[i] >> 63) - topBit[i])), topBitCorrection);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AndCombine_AnyLength_EqualsScalarFormula(int n)
    {
        var (d, e, a, b, c) = (Random(n, 17), Random(n, 18), Random(n, 19), Random(n, 20), Random(n, 21));
        foreach (var first in new[] { false, true })
        {
            var destination = new ulong[n];
            BinaryKernels.AndCombine(d, e, a, b, c, first, destination);
            var mask = first ? ulong.MaxValue : 0UL;
            Assert.Equal(Enumerable.Range(0, n).Select(i => c[i] ^ (d[i] & b[i]) ^ (e[i] & a[i]) ^ (d[i] & e[i] & mask)), destination);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void XorAnd_AnyLength_EqualsScalarFormula(int n)
    {
        var (x, y, destination) = (Random(n, 22), Random(n, 23), Random(n, 24));
        var before = destination.ToArray();
        BinaryKernels.XorAnd(x, y, destination);
        Assert.Equal(Enumerable.Range(0, n).Select(i => before[i] ^ (x[i] & y[i])), destination);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void XorNegated_AnyLength_EqualsScalarFormula(int n)
    {
        var (x, r) = (Random(n, 25), Random(n, 26));
        var destination = new ulong[n];
        BinaryKernels.XorNegated(x, r, destination);
        Assert.Equal(Enumerable.Range(0, n).Select(i => x[i] ^ unchecked(0UL - r[i])), destination);
    }

    private static ulong[] Random(int n, ulong seed)
    {
        var random = new SeededRandomSource(seed);
        return [.. Enumerable.Range(0, n).Select(_ => random.NextUInt64())];
    }
}
