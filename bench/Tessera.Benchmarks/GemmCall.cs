using Tessera.Kernels;

namespace Tessera.Benchmarks;

/// <summary>A GEMM entry point with the shape of <see cref="Gemm.Multiply(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/>.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <param name="transposeA">Whether A is stored k x m.</param>
/// <param name="transposeB">Whether B is stored n x k.</param>
/// <param name="m">Rows of C.</param>
/// <param name="n">Columns of C.</param>
/// <param name="k">Inner dimension.</param>
/// <param name="a">A's elements.</param>
/// <param name="lda">A's row stride.</param>
/// <param name="b">B's elements.</param>
/// <param name="ldb">B's row stride.</param>
/// <param name="c">C's elements.</param>
/// <param name="ldc">C's row stride.</param>
public delegate void GemmCall<T>(bool transposeA, bool transposeB, int m, int n, int k,
    ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc);
