using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Kernels;

/// <summary>General matrix multiply on row-major spans: C = op(A) op(B) (+ C when accumulating).</summary>
/// <remarks>
/// op(A) is m x k and op(B) is k x n; <c>lda</c>, <c>ldb</c>, <c>ldc</c> are row strides of A, B and C as stored.
/// When <c>transposeA</c> is set, A is stored k x m; when <c>transposeB</c> is set, B is stored n x k.
/// Floating-point products run a cache-blocked, packed GEMM with an AVX-512 or AVX2 FMA micro-kernel (a scalar one on
/// other CPUs) and use both cores once a product is big enough to pay for it; the summation order therefore differs
/// from a naive loop by rounding. Integer products wrap modulo 2^64 and are exact. Safe to call from several threads
/// at once (each thread packs into its own buffers); C must not overlap A or B.
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
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or a row stride is smaller than its row.</exception>
    /// <exception cref="ArgumentException">A span is too short for its dimensions and stride, or C overlaps A or B.</exception>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate = false)
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            MultiplyWith<float, GemmKernel512<float>>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            MultiplyWith<float, GemmKernel256<float>>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        }
        else
        {
            MultiplyWith<float, GemmKernelScalar<float>>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        }
    }

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
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or a row stride is smaller than its row.</exception>
    /// <exception cref="ArgumentException">A span is too short for its dimensions and stride, or C overlaps A or B.</exception>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc, bool accumulate = false)
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            MultiplyWith<double, GemmKernel512<double>>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            MultiplyWith<double, GemmKernel256<double>>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        }
        else
        {
            MultiplyWith<double, GemmKernelScalar<double>>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        }
    }

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
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or a row stride is smaller than its row.</exception>
    /// <exception cref="ArgumentException">A span is too short for its dimensions and stride, or C overlaps A or B.</exception>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<ulong> a, int lda, ReadOnlySpan<ulong> b, int ldb, Span<ulong> c, int ldc, bool accumulate = false)
    {
        Validate(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        unsafe
        {
            fixed (ulong* pa = a)
            fixed (ulong* pb = b)
            fixed (ulong* pc = c)
            {
                GemmRing.Run(new GemmArguments<ulong>(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate));
            }
        }
    }

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
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or a row stride is smaller than its row.</exception>
    /// <exception cref="ArgumentException">A span is too short for its dimensions and stride, or C overlaps A or B.</exception>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<long> a, int lda, ReadOnlySpan<long> b, int ldb, Span<long> c, int ldc, bool accumulate = false)
        => Multiply(transposeA, transposeB, m, n, k,
            MemoryMarshal.Cast<long, ulong>(a), lda, MemoryMarshal.Cast<long, ulong>(b), ldb,
            MemoryMarshal.Cast<long, ulong>(c), ldc, accumulate);

    /// <summary>Ring GEMM through the row-update path (the one for CPUs without AVX-512DQ), for tests and benchmarks.</summary>
    internal static void MultiplyRowUpdate(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<ulong> a, int lda, ReadOnlySpan<ulong> b, int ldb, Span<ulong> c, int ldc, bool accumulate)
    {
        Validate(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        unsafe
        {
            fixed (ulong* pa = a)
            fixed (ulong* pb = b)
            fixed (ulong* pc = c)
            {
                GemmRing.RunRowUpdate(new GemmArguments<ulong>(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate));
            }
        }
    }

    /// <summary>GEMM with a chosen micro-kernel; tests use it to cover every kernel on one CPU.</summary>
    internal static void MultiplyWith<T, TKernel>(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, INumberBase<T>
        where TKernel : struct, IGemmMicroKernel<T>
    {
        Validate(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        unsafe
        {
            fixed (T* pa = a)
            fixed (T* pb = b)
            fixed (T* pc = c)
            {
                GemmDriver.Run<T, TKernel>(new GemmArguments<T>(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate));
            }
        }
    }

    /// <summary>Checks dimensions, strides, span lengths and aliasing before any pointer is taken.</summary>
    private static void Validate<T>(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, ReadOnlySpan<T> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var usedA = CheckMatrix(a.Length, transposeA ? k : m, transposeA ? m : k, lda, nameof(a), nameof(lda));
        var usedB = CheckMatrix(b.Length, transposeB ? n : k, transposeB ? k : n, ldb, nameof(b), nameof(ldb));
        var usedC = CheckMatrix(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        var cUsed = c[..usedC];
        if (cUsed.Overlaps(a[..usedA]) || cUsed.Overlaps(b[..usedB]))
        {
            throw new ArgumentException("C overlaps A or B; GEMM needs a separate output buffer.", nameof(c));
        }
    }

    /// <summary>Validates one stored matrix and returns how many elements of its span it uses.</summary>
    private static int CheckMatrix(int length, int rows, int cols, int ld, string name, string ldName)
    {
        if (ld < cols)
        {
            throw new ArgumentOutOfRangeException(ldName, ld,
                $"Row stride {ldName} = {ld} is smaller than the {cols} columns of the stored {rows} x {cols} matrix {name}.");
        }

        var needed = rows == 0 || cols == 0 ? 0L : ((long)(rows - 1) * ld) + cols;
        if (length < needed)
        {
            throw new ArgumentException(
                $"Span {name} has {length} elements but a stored {rows} x {cols} matrix with row stride {ld} needs {needed}.", name);
        }

        return (int)needed;
    }

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
