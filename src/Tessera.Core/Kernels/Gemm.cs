namespace Tessera.Kernels;

/// <summary>General matrix multiply on row-major spans: C = op(A) op(B) (+ C when accumulating).</summary>
/// <remarks>
/// op(A) is m x k and op(B) is k x n; <c>lda</c>, <c>ldb</c>, <c>ldc</c> are row strides of A, B and C as stored.
/// When <c>transposeA</c> is set, A is stored k x m; when <c>transposeB</c> is set, B is stored n x k.
/// </remarks>
public static class Gemm
{
    /// <summary>Single-precision GEMM.</summary>
    /// <param name="transposeA">Whether A is stored transposed (k x m).</param>
    /// <param name="transposeB">Whether B is stored transposed (n x k).</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="a">A's elements.</param>
    /// <param name="lda">A's row stride as stored.</param>
    /// <param name="b">B's elements.</param>
    /// <param name="ldb">B's row stride as stored.</param>
    /// <param name="c">C's elements.</param>
    /// <param name="ldc">C's row stride.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    /// <exception cref="ArgumentException">A span is too short for its dimensions and stride.</exception>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate = false)
        => Reference(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

    /// <summary>Double-precision GEMM.</summary>
    /// <param name="transposeA">Whether A is stored transposed (k x m).</param>
    /// <param name="transposeB">Whether B is stored transposed (n x k).</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="a">A's elements.</param>
    /// <param name="lda">A's row stride as stored.</param>
    /// <param name="b">B's elements.</param>
    /// <param name="ldb">B's row stride as stored.</param>
    /// <param name="c">C's elements.</param>
    /// <param name="ldc">C's row stride.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc, bool accumulate = false)
        => Reference(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

    /// <summary>Ring GEMM in Z_2^64: products and sums wrap modulo 2^64 (the same bits for long and ulong).</summary>
    /// <param name="transposeA">Whether A is stored transposed (k x m).</param>
    /// <param name="transposeB">Whether B is stored transposed (n x k).</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="a">A's elements.</param>
    /// <param name="lda">A's row stride as stored.</param>
    /// <param name="b">B's elements.</param>
    /// <param name="ldb">B's row stride as stored.</param>
    /// <param name="c">C's elements.</param>
    /// <param name="ldc">C's row stride.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<ulong> a, int lda, ReadOnlySpan<ulong> b, int ldb, Span<ulong> c, int ldc, bool accumulate = false)
        => Reference(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

    /// <summary>Ring GEMM on signed 64-bit integers, wrapping modulo 2^64.</summary>
    /// <param name="transposeA">Whether A is stored transposed (k x m).</param>
    /// <param name="transposeB">Whether B is stored transposed (n x k).</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="a">A's elements.</param>
    /// <param name="lda">A's row stride as stored.</param>
    /// <param name="b">B's elements.</param>
    /// <param name="ldb">B's row stride as stored.</param>
    /// <param name="c">C's elements.</param>
    /// <param name="ldc">C's row stride.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<long> a, int lda, ReadOnlySpan<long> b, int ldb, Span<long> c, int ldc, bool accumulate = false)
        => Multiply(transposeA, transposeB, m, n, k,
            System.Runtime.InteropServices.MemoryMarshal.Cast<long, ulong>(a), lda,
            System.Runtime.InteropServices.MemoryMarshal.Cast<long, ulong>(b), ldb,
            System.Runtime.InteropServices.MemoryMarshal.Cast<long, ulong>(c), ldc, accumulate);

    /// <summary>The naive triple loop: the reference the fast kernels are tested against.</summary>
    internal static void Reference<T>(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : System.Numerics.INumber<T>
    {
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = accumulate ? c[(i * ldc) + j] : T.Zero;
                for (var p = 0; p < k; p++)
                {
                    var x = transposeA ? a[(p * lda) + i] : a[(i * lda) + p];
                    var y = transposeB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum = unchecked(sum + (x * y));
                }

                c[(i * ldc) + j] = sum;
            }
        }
    }
}
