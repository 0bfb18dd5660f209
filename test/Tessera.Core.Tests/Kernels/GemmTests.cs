using Tessera.Kernels;

namespace Tessera.Core.Tests.Kernels;

public class GemmTests
{
    public static TheoryData<int, int, int> OddShapes => new()
    {
        { 1, 1, 1 },
        { 3, 7, 17 },
        { 17, 33, 3 },
        { 33, 65, 127 },
        { 65, 129, 1 },
        { 127, 17, 255 },
        { 129, 257, 65 },
        { 257, 129, 33 },
        { 7, 300, 600 },
        { 255, 3, 520 },
        { 1, 257, 129 },
        { 257, 1, 129 },
    };

    [Fact]
    public void Multiply_Float32_EverySizeUpTo64_MatchesReference()
    {
        var random = new Random(1);
        for (var size = 0; size <= 64; size++)
        {
            // Each dimension in turn walks 0..64 while the others stay at awkward sizes, covering every tail.
            GemmCheck.Float(random, size, 13, 9, false, false, false, 0);
            GemmCheck.Float(random, 11, size, 19, false, false, false, 0);
            GemmCheck.Float(random, 7, 21, size, false, false, false, 0);
            GemmCheck.Float(random, size, size, size, size % 2 == 1, size % 3 == 1, size % 4 == 1, size % 5);
        }
    }

    [Fact]
    public void Multiply_Float64_EverySizeUpTo64_MatchesReference()
    {
        var random = new Random(2);
        for (var size = 0; size <= 64; size++)
        {
            GemmCheck.Double(random, size, 13, 9, false, false, false, 0);
            GemmCheck.Double(random, 11, size, 19, false, false, false, 0);
            GemmCheck.Double(random, 7, 21, size, false, false, false, 0);
            GemmCheck.Double(random, size, size, size, size % 2 == 1, size % 3 == 1, size % 4 == 1, size % 5);
        }
    }

    [Fact]
    public void Multiply_UInt64_EverySizeUpTo64_MatchesReferenceExactly()
    {
        var random = new Random(3);
        for (var size = 0; size <= 64; size++)
        {
            GemmCheck.Ring(random, size, 13, 9, false, false, false, 0);
            GemmCheck.Ring(random, 11, size, 19, false, false, false, 0);
            GemmCheck.Ring(random, 7, 21, size, false, false, false, 0);
            GemmCheck.Ring(random, size, size, size, size % 2 == 1, size % 3 == 1, size % 4 == 1, size % 5);
        }
    }

    [Theory]
    [MemberData(nameof(OddShapes))]
    public void Multiply_Float32_OddShapesAllTransposesAndStrides_MatchesReference(int m, int n, int k)
    {
        var random = new Random((m * 31) + n);
        foreach (var (ta, tb, accumulate, pad) in Variants())
        {
            GemmCheck.Float(random, m, n, k, ta, tb, accumulate, pad);
        }
    }

    [Theory]
    [MemberData(nameof(OddShapes))]
    public void Multiply_Float64_OddShapesAllTransposesAndStrides_MatchesReference(int m, int n, int k)
    {
        var random = new Random((m * 37) + n);
        foreach (var (ta, tb, accumulate, pad) in Variants())
        {
            GemmCheck.Double(random, m, n, k, ta, tb, accumulate, pad);
        }
    }

    [Theory]
    [MemberData(nameof(OddShapes))]
    public void Multiply_UInt64_OddShapesAllTransposesAndStrides_MatchesReferenceExactly(int m, int n, int k)
    {
        var random = new Random((m * 41) + n);
        foreach (var (ta, tb, accumulate, pad) in Variants())
        {
            GemmCheck.Ring(random, m, n, k, ta, tb, accumulate, pad);
        }
    }

    [Theory]
    [InlineData(200, 180, 130)]
    [InlineData(400, 40, 300)]
    [InlineData(24, 1100, 170)]
    [InlineData(300, 520, 270)]
    [InlineData(1000, 72, 260)]
    public void Multiply_LargeEnoughToRunInParallel_MatchesReference(int m, int n, int k)
    {
        var random = new Random(m + n + k);
        GemmCheck.Float(random, m, n, k, false, false, false, 0);
        GemmCheck.Float(random, m, n, k, true, true, true, 3);
        GemmCheck.Double(random, m, n, k, true, false, false, 1);
        GemmCheck.Ring(random, m, n, k, false, true, true, 2);
        GemmCheck.Ring(random, m, n, k, false, false, false, 0);
    }

    [Fact]
    public void Multiply_Int64_WrapsLikeUInt64()
    {
        long[] a = [long.MaxValue, -3];
        long[] b = [5, long.MinValue];
        var c = new long[1];
        Gemm.Multiply(false, false, 1, 1, 2, a, 2, b, 1, c, 1);
        Assert.Equal(unchecked((long.MaxValue * 5) + (-3 * long.MinValue)), c[0]);
    }

    [Fact]
    public void Multiply_ZeroDepth_ClearsOrKeepsC()
    {
        var c = new float[] { 1, 2, 3, 4, 5, 6 };
        Gemm.Multiply(false, false, 2, 3, 0, ReadOnlySpan<float>.Empty, 0, ReadOnlySpan<float>.Empty, 3, c, 3, accumulate: true);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, c);
        Gemm.Multiply(false, false, 2, 3, 0, ReadOnlySpan<float>.Empty, 0, ReadOnlySpan<float>.Empty, 3, c, 3);
        Assert.Equal(new float[6], c);

        var r = new ulong[] { 7, 8 };
        Gemm.Multiply(true, true, 1, 2, 0, ReadOnlySpan<ulong>.Empty, 1, ReadOnlySpan<ulong>.Empty, 0, r, 2);
        Assert.Equal(new ulong[2], r);
    }

    [Fact]
    public void Multiply_KnownProduct_IsExact()
    {
        float[] a = [1, 2, 3, 4, 5, 6];
        float[] b = [7, 8, 9, 10, 11, 12];
        var c = new float[4];
        Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, c, 2);
        Assert.Equal(new float[] { 58, 64, 139, 154 }, c);
    }

    private static IEnumerable<(bool TransposeA, bool TransposeB, bool Accumulate, int Pad)> Variants()
    {
        foreach (var ta in new[] { false, true })
        {
            foreach (var tb in new[] { false, true })
            {
                yield return (ta, tb, false, 0);
                yield return (ta, tb, true, 5);
            }
        }
    }
}
