using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        => Im2Col(image, g, columns, g.OutPlane);

    /// <summary>
    /// Unfolds one image into a block of a wider column matrix: row r of the image's columns (OutPlane elements) is
    /// written at <c>r * rowStride</c>, so several images can sit side by side as [C * kh * kw, images * OutPlane].
    /// </summary>
    /// <param name="image">The image, C * H * W elements.</param>
    /// <param name="g">The window geometry.</param>
    /// <param name="columns">The destination, starting at this image's first column; the OutPlane elements of each row are written, the rest of the row is left alone.</param>
    /// <param name="rowStride">The distance between rows of <paramref name="columns"/>; at least OutPlane.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Im2Col<T>(ReadOnlySpan<T> image, in ConvolutionGeometry g, Span<T> columns, int rowStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(image.Length, columns.Length, rowStride, g);
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
                    var dst = columns.Slice(row * rowStride, plane);
                    dst[..(y0 * outW)].Clear();
                    dst[(y1 * outW)..].Clear();
                    UnfoldTap(channel, dst, g, y0, y1, dy, x0, x1, dx);
                }
            }
        }
    }

    /// <summary>
    /// Folds a column matrix back onto an image, adding every column entry to the pixel it was read from (the adjoint
    /// of <see cref="Im2Col{T}(ReadOnlySpan{T}, in ConvolutionGeometry, Span{T})"/>); entries that fall in the padding are dropped.
    /// </summary>
    /// <param name="columns">The column matrix, ColumnRows * OutPlane elements.</param>
    /// <param name="g">The window geometry.</param>
    /// <param name="image">The image [C, H, W] to accumulate into; it is not cleared first.</param>
    public static void Col2Im<T>(ReadOnlySpan<T> columns, in ConvolutionGeometry g, Span<T> image)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Col2Im(columns, g, image, g.OutPlane);

    /// <summary>
    /// Folds one image's block of a wider column matrix back onto the image (the adjoint of
    /// <see cref="Im2Col{T}(ReadOnlySpan{T}, in ConvolutionGeometry, Span{T}, int)"/> with the same row stride).
    /// </summary>
    /// <param name="columns">The column matrix, starting at this image's first column; row r is read at <c>r * rowStride</c>.</param>
    /// <param name="g">The window geometry.</param>
    /// <param name="image">The image [C, H, W] to accumulate into; it is not cleared first.</param>
    /// <param name="rowStride">The distance between rows of <paramref name="columns"/>; at least OutPlane.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Col2Im<T>(ReadOnlySpan<T> columns, in ConvolutionGeometry g, Span<T> image, int rowStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(image.Length, columns.Length, rowStride, g);
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
                    FoldTap(columns.Slice(row * rowStride, plane), channel, g, y0, y1, dy, x0, x1, dx);
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

    // Copies one kernel tap's valid window into its column row. Output rows [y0, y1) and columns [x0, x1) read inside
    // the channel by construction of ValidRange, and the entry checks guarantee the channel and row lengths, so the
    // loops run on refs without per-element bounds checks; the padding columns of each row are zeroed.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UnfoldTap<T>(ReadOnlySpan<T> channel, Span<T> dst, in ConvolutionGeometry g, int y0, int y1, int dy,
        int x0, int x1, int dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outW = g.OutWidth, width = g.Width, sh = g.StrideHeight, sw = g.StrideWidth, count = x1 - x0;
        if (y1 <= y0)
        {
            return;
        }

        if (sw == 1 && sh == 1 && count == width && outW == width)
        {
            // The tap reads whole input rows into whole output rows: one block copy.
            channel.Slice((y0 + dy) * width, (y1 - y0) * width).CopyTo(dst.Slice(y0 * outW, (y1 - y0) * outW));
            return;
        }

        ref var src = ref MemoryMarshal.GetReference(channel);
        ref var d = ref MemoryMarshal.GetReference(dst);
        for (var oy = y0; oy < y1; oy++)
        {
            ref var outRow = ref Unsafe.Add(ref d, oy * outW);
            ref var inRow = ref Unsafe.Add(ref src, ((oy * sh) + dy) * width);
            for (var x = 0; x < x0; x++)
            {
                Unsafe.Add(ref outRow, x) = T.Zero;
            }

            for (var x = x1; x < outW; x++)
            {
                Unsafe.Add(ref outRow, x) = T.Zero;
            }

            if (sw == 1)
            {
                CopyRow(ref Unsafe.Add(ref inRow, x0 + dx), ref Unsafe.Add(ref outRow, x0), count);
            }
            else
            {
                var s = (x0 * sw) + dx;
                for (var x = x0; x < x1; x++, s += sw)
                {
                    Unsafe.Add(ref outRow, x) = Unsafe.Add(ref inRow, s);
                }
            }
        }
    }

    // The adjoint of UnfoldTap: adds one column row back onto the pixels it was read from; padding entries are dropped.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FoldTap<T>(ReadOnlySpan<T> src, Span<T> channel, in ConvolutionGeometry g, int y0, int y1, int dy,
        int x0, int x1, int dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outW = g.OutWidth, width = g.Width, sh = g.StrideHeight, sw = g.StrideWidth, count = x1 - x0;
        if (y1 <= y0 || count <= 0)
        {
            return;
        }

        if (sw == 1 && sh == 1 && count == width && outW == width)
        {
            var target = channel.Slice((y0 + dy) * width, (y1 - y0) * width);
            TensorPrimitives.Add(target, src.Slice(y0 * outW, (y1 - y0) * outW), target);
            return;
        }

        ref var s0 = ref MemoryMarshal.GetReference(src);
        ref var c0 = ref MemoryMarshal.GetReference(channel);
        for (var oy = y0; oy < y1; oy++)
        {
            ref var colRow = ref Unsafe.Add(ref s0, (oy * outW) + x0);
            ref var inRow = ref Unsafe.Add(ref c0, (((oy * sh) + dy) * width) + (x0 * sw) + dx);
            if (sw == 1)
            {
                AddInPlace(ref inRow, ref colRow, count);
            }
            else
            {
                for (int x = 0, s = 0; x < count; x++, s += sw)
                {
                    Unsafe.Add(ref inRow, s) += Unsafe.Add(ref colRow, x);
                }
            }
        }
    }

    // dst[0..n) = src[0..n) for short rows (tens of elements), where a call to memmove costs more than the copy. The
    // last vector may overlap the one before it, which is harmless for a copy between distinct buffers.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow<T>(ref T src, ref T dst, int n)
        where T : unmanaged
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && n >= Vector256<T>.Count)
        {
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                Vector256.LoadUnsafe(ref src, (nuint)i).StoreUnsafe(ref dst, (nuint)i);
            }

            if (i < n)
            {
                var last = (nuint)(n - Vector256<T>.Count);
                Vector256.LoadUnsafe(ref src, last).StoreUnsafe(ref dst, last);
            }

            return;
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dst, i) = Unsafe.Add(ref src, i);
        }
    }

    // dst[0..n) += src[0..n). Rows here are short (tens of elements), where TensorPrimitives' set-up costs more than the add.
    private static void AddInPlace<T>(ref T dst, ref T src, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var sum = Vector256.LoadUnsafe(ref dst, (nuint)i) + Vector256.LoadUnsafe(ref src, (nuint)i);
                sum.StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dst, i) += Unsafe.Add(ref src, i);
        }
    }

    private static void CheckLengths(int imageLength, int columnsLength, int rowStride, in ConvolutionGeometry g)
    {
        if (g.OutHeight <= 0 || g.OutWidth <= 0)
        {
            throw new ArgumentException($"The kernel does not fit the padded input: {g}.");
        }

        if (rowStride < g.OutPlane)
        {
            throw new ArgumentOutOfRangeException(nameof(rowStride), rowStride, $"The column row stride must be at least OutPlane = {g.OutPlane} for {g}.");
        }

        if (imageLength < (long)g.Channels * g.InPlane)
        {
            throw new ArgumentException($"The image span has {imageLength} elements; {g} needs {(long)g.Channels * g.InPlane}.");
        }

        var needed = ((long)(g.ColumnRows - 1) * rowStride) + g.OutPlane;
        if (columnsLength < needed)
        {
            throw new ArgumentException($"The columns span has {columnsLength} elements; {g} with row stride {rowStride} needs {needed}.");
        }
    }
}
