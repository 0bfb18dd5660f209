using Tessera.Kernels;

namespace Tessera.Core.Tests.Kernels;

/// <summary>Builds random strided operands, runs the fast GEMM and the reference, and compares them.</summary>
internal static class GemmCheck
{
    public static void Float(Random random, int m, int n, int k, bool ta, bool tb, bool accumulate, int pad)
    {
        var (a, lda, b, ldb, c, ldc) = Operands(m, n, k, ta, tb, pad, () => (float)((random.NextDouble() * 2) - 1));
        var expected = (float[])c.Clone();
        Gemm.Reference(ta, tb, m, n, k, a, lda, b, ldb, expected, ldc, accumulate);
        Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        AssertClose(expected, c, k, 1e-6, $"float32 m={m} n={n} k={k} ta={ta} tb={tb} acc={accumulate} pad={pad}");
    }

    public static void Double(Random random, int m, int n, int k, bool ta, bool tb, bool accumulate, int pad)
    {
        var (a, lda, b, ldb, c, ldc) = Operands(m, n, k, ta, tb, pad, () => (random.NextDouble() * 2) - 1);
        var expected = (double[])c.Clone();
        Gemm.Reference(ta, tb, m, n, k, a, lda, b, ldb, expected, ldc, accumulate);
        Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        AssertClose(expected, c, k, 1e-15, $"float64 m={m} n={n} k={k} ta={ta} tb={tb} acc={accumulate} pad={pad}");
    }

    public static void Ring(Random random, int m, int n, int k, bool ta, bool tb, bool accumulate, int pad)
    {
        var (a, lda, b, ldb, c, ldc) = Operands(m, n, k, ta, tb, pad, () => (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63));
        var expected = (ulong[])c.Clone();
        Gemm.Reference(ta, tb, m, n, k, a, lda, b, ldb, expected, ldc, accumulate);
        Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        Assert.True(expected.AsSpan().SequenceEqual(c), $"uint64 m={m} n={n} k={k} ta={ta} tb={tb} acc={accumulate} pad={pad}");
    }

    /// <summary>
    /// Makes A, B and C with row strides <paramref name="pad"/> elements longer than their rows. Padding is filled
    /// with random values too, so a kernel that reads or writes it shows up in the comparison.
    /// </summary>
    public static (T[] A, int Lda, T[] B, int Ldb, T[] C, int Ldc) Operands<T>(int m, int n, int k, bool ta, bool tb, int pad,
        Func<T> next)
    {
        var lda = (ta ? m : k) + pad;
        var ldb = (tb ? k : n) + pad;
        var ldc = n + pad;
        var a = Fill((ta ? k : m) * lda, next);
        var b = Fill((tb ? n : k) * ldb, next);
        var c = Fill(m * ldc, next);
        return (a, lda, b, ldb, c, ldc);
    }

    /// <summary>Asserts |e - a| &lt;= tol * (k + 1) * max(1, |e|) for operands in [-1, 1], which bounds both orders' rounding.</summary>
    public static void AssertClose<T>(T[] expected, T[] actual, int k, double tolerance, string what)
        where T : System.Numerics.IFloatingPoint<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        var bound = tolerance * (k + 2);
        for (var i = 0; i < expected.Length; i++)
        {
            var e = double.CreateChecked(expected[i]);
            var x = double.CreateChecked(actual[i]);
            if (!(Math.Abs(e - x) <= bound * Math.Max(1, Math.Abs(e))))
            {
                Assert.Fail($"{what}: element {i} is {x}, expected {e} (bound {bound}).");
            }
        }
    }

    private static T[] Fill<T>(int count, Func<T> next)
    {
        var data = new T[count];
        for (var i = 0; i < count; i++)
        {
            data[i] = next();
        }

        return data;
    }
}
