using Tessera.Kernels;

namespace Tessera.Core.Tests.Kernels;

public class GemmRingTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 },
        { 7, 13, 5 },
        { 33, 65, 17 },
        { 257, 3, 129 },
        { 5, 9, 0 },
        { 8, 16, 128 },
        { 9, 17, 129 },
        { 6, 300, 25 },
        { 16, 130, 150 },
        { 100, 128, 260 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_UInt64_EveryTransposeAndAccumulate_MatchesNaiveLoopExactly(int m, int n, int k)
    {
        Check(m, n, k, (ta, tb, a, lda, b, ldb, c, ldc, acc) => Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyRowUpdate_EveryTransposeAndAccumulate_MatchesNaiveLoopExactly(int m, int n, int k)
    {
        Check(m, n, k, (ta, tb, a, lda, b, ldb, c, ldc, acc) => Gemm.MultiplyRowUpdate(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc));
    }

    [Fact]
    public void Multiply_UInt64_LargeParallelProduct_MatchesNaiveLoopExactly()
    {
        Check(300, 270, 520, (ta, tb, a, lda, b, ldb, c, ldc, acc) => Gemm.Multiply(ta, tb, 300, 270, 520, a, lda, b, ldb, c, ldc, acc));
    }

    [Fact]
    public void Multiply_UInt64_MaxValues_WrapModulo2To64()
    {
        var a = new[] { ulong.MaxValue, ulong.MaxValue, 1UL << 63 };
        var b = new[] { ulong.MaxValue, 3UL, 2UL };
        var c = new ulong[1];
        Gemm.Multiply(false, false, 1, 1, 3, a, 3, b, 1, c, 1);

        // (-1)(-1) + (-1)(3) + 2^63 * 2 = 1 - 3 + 0 = -2 (mod 2^64).
        Assert.Equal(ulong.MaxValue - 1, c[0]);
    }

    private delegate void RingProduct(bool ta, bool tb, ulong[] a, int lda, ulong[] b, int ldb, ulong[] c, int ldc, bool accumulate);

    private static void Check(int m, int n, int k, RingProduct product)
    {
        var random = new Random((m * 1009) + (n * 31) + k);
        foreach (var ta in new[] { false, true })
        {
            foreach (var tb in new[] { false, true })
            {
                foreach (var accumulate in new[] { false, true })
                {
                    var pad = accumulate ? 3 : 0;
                    var (a, lda, b, ldb, c, ldc) = GemmCheck.Operands(m, n, k, ta, tb, pad, () => NextFullRange(random));
                    var expected = (ulong[])c.Clone();
                    Naive(ta, tb, m, n, k, a, lda, b, ldb, expected, ldc, accumulate);
                    product(ta, tb, a, lda, b, ldb, c, ldc, accumulate);
                    Assert.True(expected.AsSpan().SequenceEqual(c), $"m={m} n={n} k={k} ta={ta} tb={tb} acc={accumulate}");
                }
            }
        }
    }

    private static ulong NextFullRange(Random random)
    {
        Span<byte> bytes = stackalloc byte[8];
        random.NextBytes(bytes);
        return BitConverter.ToUInt64(bytes);
    }

    private static void Naive(bool ta, bool tb, int m, int n, int k, ulong[] a, int lda, ulong[] b, int ldb, ulong[] c, int ldc,
        bool accumulate)
    {
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = accumulate ? c[(i * ldc) + j] : 0UL;
                for (var p = 0; p < k; p++)
                {
                    var x = ta ? a[(p * lda) + i] : a[(i * lda) + p];
                    var y = tb ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum = unchecked(sum + (x * y));
                }

                c[(i * ldc) + j] = sum;
            }
        }
    }
}
