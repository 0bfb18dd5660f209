using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tessera.Kernels;

/// <summary>
/// Span kernels for 2-D convolution: im2col, its adjoint col2im, and a typed bridge to <see cref="Gemm"/>.
/// </summary>
/// <remarks>
/// The column matrix of one image [C, H, W] is [C * kh * kw, outH * outW], row-major: row <c>(c * kh + i) * kw + j</c>
/// holds, for every output position, the input value under kernel tap (i, j) of channel c (zero in the padding).
/// Zero padding is handled by computing, per tap, the range of output positions that read inside the image, so the
/// inner loops carry no bounds branches; with stride 1 along the width the inner loop is one span copy.
/// </remarks>
internal static class ConvolutionKernels
{
    /// <summary>Unfolds one image [C, H, W] into its column matrix [C * kh * kw, outH * outW].</summary>
    /// <param name="image">The image, C * H * W elements.</param>
    /// <param name="g">The window geometry.</param>
    /// <param name="columns">The destination, at least ColumnRows * OutPlane elements; every element is written.</param>
    public static void Im2Col<T>(ReadOnlySpan<T> image, in ConvolutionGeometry g, Span<T> columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(image.Length, columns.Length, g);
        var outH = g.OutHeight;
        var outW = g.OutWidth;
        var plane = outH * outW;
        var row = 0;
        for (var c = 0; c < g.Channels; c++)
        {
            var channel = image.Slice(c * g.InPlane, g.InPlane);
            for (var ki = 0; ki < g.KernelHeight; ki++)
            {
                var dy = (ki * g.DilationHeight) - g.PadHeight;
                var (y0, y1) = ConvolutionGeometry.ValidRange(dy, g.StrideHeight, g.Height, outH);
                for (var kj = 0; kj < g.KernelWidth; kj++, row++)
                {
                    var dx = (kj * g.DilationWidth) - g.PadWidth;
                    var (x0, x1) = ConvolutionGeometry.ValidRange(dx, g.StrideWidth, g.Width, outW);
                    var dst = columns.Slice(row * plane, plane);
                    dst[..(y0 * outW)].Clear();
                    dst[(y1 * outW)..].Clear();
                    for (var oy = y0; oy < y1; oy++)
                    {
                        var outRow = dst.Slice(oy * outW, outW);
                        var inRow = channel.Slice(((oy * g.StrideHeight) + dy) * g.Width, g.Width);
                        outRow[..x0].Clear();
                        outRow[x1..].Clear();
                        if (g.StrideWidth == 1)
                        {
                            inRow.Slice(x0 + dx, x1 - x0).CopyTo(outRow[x0..x1]);
                        }
                        else
                        {
                            GatherStrided(inRow, x0, x1, g.StrideWidth, dx, outRow);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Folds a column matrix back onto an image, adding every column entry to the pixel it was read from (the adjoint
    /// of <see cref="Im2Col{T}"/>); entries that fall in the padding are dropped.
    /// </summary>
    /// <param name="columns">The column matrix, ColumnRows * OutPlane elements.</param>
    /// <param name="g">The window geometry.</param>
    /// <param name="image">The image [C, H, W] to accumulate into; it is not cleared first.</param>
    public static void Col2Im<T>(ReadOnlySpan<T> columns, in ConvolutionGeometry g, Span<T> image)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(image.Length, columns.Length, g);
        var outH = g.OutHeight;
        var outW = g.OutWidth;
        var plane = outH * outW;
        var row = 0;
        for (var c = 0; c < g.Channels; c++)
        {
            var channel = image.Slice(c * g.InPlane, g.InPlane);
            for (var ki = 0; ki < g.KernelHeight; ki++)
            {
                var dy = (ki * g.DilationHeight) - g.PadHeight;
                var (y0, y1) = ConvolutionGeometry.ValidRange(dy, g.StrideHeight, g.Height, outH);
                for (var kj = 0; kj < g.KernelWidth; kj++, row++)
                {
                    var dx = (kj * g.DilationWidth) - g.PadWidth;
                    var (x0, x1) = ConvolutionGeometry.ValidRange(dx, g.StrideWidth, g.Width, outW);
                    var src = columns.Slice(row * plane, plane);
                    for (var oy = y0; oy < y1; oy++)
                    {
                        var colRow = src.Slice((oy * outW) + x0, x1 - x0);
                        var inRow = channel.Slice(((oy * g.StrideHeight) + dy) * g.Width, g.Width);
                        if (g.StrideWidth == 1)
                        {
                            var target = inRow.Slice(x0 + dx, x1 - x0);
                            TensorPrimitives.Add(target, colRow, target);
                        }
                        else
                        {
                            ScatterAddStrided(colRow, inRow, (x0 * g.StrideWidth) + dx, g.StrideWidth);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Row-major GEMM for float or double through <see cref="Gemm.Multiply(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Gemm.Multiply(transposeA, transposeB, m, n, k, MemoryMarshal.Cast<T, float>(a), lda,
                MemoryMarshal.Cast<T, float>(b), ldb, MemoryMarshal.Cast<T, float>(c), ldc, accumulate);
        }
        else if (typeof(T) == typeof(double))
        {
            Gemm.Multiply(transposeA, transposeB, m, n, k, MemoryMarshal.Cast<T, double>(a), lda,
                MemoryMarshal.Cast<T, double>(b), ldb, MemoryMarshal.Cast<T, double>(c), ldc, accumulate);
        }
        else
        {
            throw new NotSupportedException($"Convolution supports float and double, not {typeof(T).Name}.");
        }
    }

    // Strided reads: indices x*stride+dx for x in [x0, x1) are in range by construction of ValidRange, so the loop
    // runs on refs without bounds checks.
    private static void GatherStrided<T>(ReadOnlySpan<T> inRow, int x0, int x1, int stride, int dx, Span<T> outRow)
        where T : unmanaged
    {
        ref var src = ref MemoryMarshal.GetReference(inRow);
        ref var dst = ref MemoryMarshal.GetReference(outRow);
        var s = (x0 * stride) + dx;
        for (var x = x0; x < x1; x++, s += stride)
        {
            Unsafe.Add(ref dst, x) = Unsafe.Add(ref src, s);
        }
    }

    private static void ScatterAddStrided<T>(ReadOnlySpan<T> colRow, Span<T> inRow, int start, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (colRow.IsEmpty)
        {
            return;
        }

        // The last target index is start + (count - 1) * stride; ValidRange guarantees it is inside the row.
        _ = inRow[start + ((colRow.Length - 1) * stride)];
        ref var dst = ref MemoryMarshal.GetReference(inRow);
        var s = start;
        foreach (var v in colRow)
        {
            Unsafe.Add(ref dst, s) += v;
            s += stride;
        }
    }

    private static void CheckLengths(int imageLength, int columnsLength, in ConvolutionGeometry g)
    {
        if (g.OutHeight <= 0 || g.OutWidth <= 0)
        {
            throw new ArgumentException($"The kernel does not fit the padded input: {g}.");
        }

        if (imageLength < (long)g.Channels * g.InPlane)
        {
            throw new ArgumentException($"The image span has {imageLength} elements; {g} needs {(long)g.Channels * g.InPlane}.");
        }

        if (columnsLength < (long)g.ColumnRows * g.OutPlane)
        {
            throw new ArgumentException($"The columns span has {columnsLength} elements; {g} needs {(long)g.ColumnRows * g.OutPlane}.");
        }
    }
}
