using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tessera.Kernels;

/// <summary>
/// Batched 2-D convolution on contiguous buffers: input [N, C, H, W], weight [O, C / groups, kh, kw], output
/// [N, O, outH, outW]. Images are unfolded with im2col side by side, a chunk of them at a time, and each group's weight
/// block multiplies the whole chunk in one GEMM.
/// </summary>
/// <remarks>
/// <para>
/// The GEMM of one image is small (O x C*kh*kw by C*kh*kw x outH*outW; 16 x 150 by 150 x 100 for LeNet's second
/// layer), and GEMM pays a fixed cost per call for packing and edge tiles. So the images of a chunk are unfolded into one
/// column matrix [C*kh*kw, images * outH*outW] (image i's block starts at column i * outH*outW), and the forward pass,
/// the weight gradient and the column gradient are each one wide GEMM per group over the chunk. The forward result
/// [O, images * plane] is scattered into the NCHW output with the bias added in the same pass; the output gradient is
/// gathered into that layout for the backward GEMMs. A chunk holds as many images as fit in
/// <see cref="ChunkColumnElements"/> column elements (at least one); a chunk of one image works on the output and
/// gradient slices directly, and a pointwise (1x1) kernel uses the image itself as its columns, one image per chunk.
/// </para>
/// <para>
/// The batch is cut into one fixed run per core, and each run into fixed chunks, so the chunk boundaries, the column
/// layout saved by the forward pass and the summation order of the weight gradient (per run, then the runs in order)
/// do not depend on thread timing.
/// </para>
/// </remarks>
internal static class Convolution2d
{
    /// <summary>The most column-matrix elements one chunk of images is unfolded into (unless one image alone needs more).</summary>
    internal const int ChunkColumnElements = 1 << 20;

    /// <summary>Output channels per group below which the weight gradient is taken as blocked dot products rather than a GEMM.</summary>
    private const int SkinnyWeightGradientRows = 8;

    /// <summary>The forward pass.</summary>
    /// <param name="input">The input, N * C * H * W elements.</param>
    /// <param name="batch">N.</param>
    /// <param name="g">The geometry of one image (Channels = C).</param>
    /// <param name="groups">The number of groups; C and O are multiples of it.</param>
    /// <param name="weight">The weight, O * (C / groups) * kh * kw elements.</param>
    /// <param name="outChannels">O.</param>
    /// <param name="bias">The bias, O elements, or empty for none.</param>
    /// <param name="output">The output, N * O * outH * outW elements; every element is written.</param>
    /// <param name="savedColumns">
    /// When not null, receives the column matrices (N * ColumnRows * OutPlane elements) for the backward pass: each chunk
    /// of images [first, first + count) as one [ColumnRows, count * OutPlane] matrix starting at element
    /// <c>first * ColumnRows * OutPlane</c>.
    /// </param>
    public static void Forward<T>(ReadOnlyMemory<T> input, int batch, ConvolutionGeometry g, int groups, ReadOnlyMemory<T> weight,
        int outChannels, ReadOnlyMemory<T> bias, Memory<T> output, T[]? savedColumns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var perChunk = ImagesPerChunk(batch, g);
        ForEachRun(batch, (run, first, end) => ForwardRun(input, g, groups, weight, outChannels, bias, output, savedColumns, perChunk, first, end));
    }

    /// <summary>The backward pass: any of the three gradients, each written (not accumulated) when its buffer is given.</summary>
    /// <param name="input">The forward input (read only when the weight gradient is wanted and no columns were saved).</param>
    /// <param name="batch">N.</param>
    /// <param name="g">The geometry of one image.</param>
    /// <param name="groups">The number of groups.</param>
    /// <param name="weight">The weight.</param>
    /// <param name="outChannels">O.</param>
    /// <param name="gradOutput">The gradient of the output, N * O * outH * outW elements.</param>
    /// <param name="savedColumns">The columns saved by <see cref="Forward{T}"/> for the same batch and geometry, or null to recompute them.</param>
    /// <param name="gradInput">Receives the input gradient (every element is written), or empty.</param>
    /// <param name="gradWeight">Receives the weight gradient, or empty.</param>
    /// <param name="gradBias">Receives the bias gradient, or empty.</param>
    public static void Backward<T>(ReadOnlyMemory<T> input, int batch, ConvolutionGeometry g, int groups, ReadOnlyMemory<T> weight,
        int outChannels, ReadOnlyMemory<T> gradOutput, T[]? savedColumns, Memory<T> gradInput, Memory<T> gradWeight, Memory<T> gradBias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plane = g.OutPlane;
        var outImage = outChannels * plane;
        var wantInput = !gradInput.IsEmpty;
        var wantWeight = !gradWeight.IsEmpty;

        if (!gradBias.IsEmpty)
        {
            var gb = gradBias.Span;
            var go = gradOutput.Span;
            gb.Clear();
            for (var n = 0; n < batch; n++)
            {
                for (var o = 0; o < outChannels; o++)
                {
                    gb[o] += TensorPrimitives.Sum(go.Slice((n * outImage) + (o * plane), plane));
                }
            }
        }

        if (!wantInput && !wantWeight)
        {
            return;
        }

        var perChunk = ImagesPerChunk(batch, g);
        var runs = RunCount(batch);
        var partials = wantWeight ? new T[runs][] : null;
        ForEachRun(batch, (run, first, end) =>
        {
            var gw = BackwardRun(input, g, groups, weight, outChannels, gradOutput, savedColumns, gradInput,
                wantWeight ? gradWeight.Length : 0, perChunk, first, end);
            if (partials is not null)
            {
                partials[run] = gw!;
            }
        });

        if (partials is not null)
        {
            var dst = gradWeight.Span;
            partials[0].CopyTo(dst);
            for (var r = 1; r < partials.Length; r++)
            {
                TensorPrimitives.Add(dst, partials[r], dst);
            }
        }
    }

    // One run of the forward pass: images [first, end), chunk by chunk.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRun<T>(ReadOnlyMemory<T> input, ConvolutionGeometry g, int groups, ReadOnlyMemory<T> weight,
        int outChannels, ReadOnlyMemory<T> bias, Memory<T> output, T[]? savedColumns, int perChunk, int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inImage = g.Channels * g.InPlane;
        var plane = g.OutPlane;
        var outImage = outChannels * plane;
        var colImage = g.ColumnRows * plane;
        var k = g.ColumnRows / groups;
        var og = outChannels / groups;
        var chunkImages = Math.Min(perChunk, end - first);
        var columnBuffer = savedColumns is null && !g.IsPointwise ? ArrayPool<T>.Shared.Rent(chunkImages * colImage) : null;
        var resultBuffer = chunkImages > 1 ? ArrayPool<T>.Shared.Rent(chunkImages * outImage) : null;
        try
        {
            for (var c0 = first; c0 < end; c0 += chunkImages)
            {
                var count = Math.Min(chunkImages, end - c0);
                var width = count * plane;
                var x = input.Span;
                ReadOnlySpan<T> cols;
                if (g.IsPointwise)
                {
                    cols = x.Slice(c0 * inImage, inImage);
                }
                else
                {
                    var buffer = savedColumns is not null ? savedColumns.AsSpan(c0 * colImage, count * colImage) : columnBuffer.AsSpan(0, count * colImage);
                    for (var i = 0; i < count; i++)
                    {
                        ConvolutionKernels.Im2Col(x.Slice((c0 + i) * inImage, inImage), g, buffer[(i * plane)..], width);
                    }

                    cols = buffer;
                }

                var direct = output.Span.Slice(c0 * outImage, count * outImage);
                var result = count == 1 ? direct : resultBuffer.AsSpan(0, count * outImage);
                var w = weight.Span;
                for (var gi = 0; gi < groups; gi++)
                {
                    ConvolutionKernels.Multiply(false, false, og, width, k, w.Slice(gi * og * k, og * k), k,
                        cols[(gi * k * width)..], width, result[(gi * og * width)..], width, accumulate: false);
                }

                ScatterOutput(result, count, outChannels, plane, bias.Span, direct);
            }
        }
        finally
        {
            Return(columnBuffer);
            Return(resultBuffer);
        }
    }

    // One run of the backward pass: images [first, end), chunk by chunk; returns the run's weight gradient, or null.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T[]? BackwardRun<T>(ReadOnlyMemory<T> input, ConvolutionGeometry g, int groups, ReadOnlyMemory<T> weight,
        int outChannels, ReadOnlyMemory<T> gradOutput, T[]? savedColumns, Memory<T> gradInput, int weightLength, int perChunk,
        int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inImage = g.Channels * g.InPlane;
        var plane = g.OutPlane;
        var outImage = outChannels * plane;
        var colImage = g.ColumnRows * plane;
        var k = g.ColumnRows / groups;
        var og = outChannels / groups;
        var wantInput = !gradInput.IsEmpty;
        var chunkImages = Math.Min(perChunk, end - first);
        var needColumns = !g.IsPointwise && (wantInput || savedColumns is null);
        var columnBuffer = needColumns ? ArrayPool<T>.Shared.Rent(chunkImages * colImage) : null;
        var gradBuffer = chunkImages > 1 ? ArrayPool<T>.Shared.Rent(chunkImages * outImage) : null;
        var gw = weightLength > 0 ? new T[weightLength] : null;
        try
        {
            for (var c0 = first; c0 < end; c0 += chunkImages)
            {
                var count = Math.Min(chunkImages, end - c0);
                var width = count * plane;
                var w = weight.Span;
                ReadOnlySpan<T> grad = gradOutput.Span.Slice(c0 * outImage, count * outImage);
                if (count > 1)
                {
                    GatherGradient(grad, count, outChannels, plane, gradBuffer.AsSpan(0, count * outImage));
                    grad = gradBuffer.AsSpan(0, count * outImage);
                }

                if (gw is not null)
                {
                    ReadOnlySpan<T> cols;
                    if (g.IsPointwise)
                    {
                        cols = input.Span.Slice(c0 * inImage, inImage);
                    }
                    else if (savedColumns is not null)
                    {
                        cols = savedColumns.AsSpan(c0 * colImage, count * colImage);
                    }
                    else
                    {
                        var buffer = columnBuffer.AsSpan(0, count * colImage);
                        for (var i = 0; i < count; i++)
                        {
                            ConvolutionKernels.Im2Col(input.Span.Slice((c0 + i) * inImage, inImage), g, buffer[(i * plane)..], width);
                        }

                        cols = buffer;
                    }

                    // dW_g += dY_g [og, width] x cols_g^T [width, k]
                    for (var gi = 0; gi < groups; gi++)
                    {
                        if (og < SkinnyWeightGradientRows)
                        {
                            AccumulateDots(grad[(gi * og * width)..], og, cols[(gi * k * width)..], k, width, gw.AsSpan(gi * og * k, og * k));
                        }
                        else
                        {
                            ConvolutionKernels.Multiply(false, true, og, k, width, grad[(gi * og * width)..], width,
                                cols[(gi * k * width)..], width, gw.AsSpan(gi * og * k, og * k), k, accumulate: true);
                        }
                    }
                }

                if (wantInput)
                {
                    // dCols_g [k, width] = W_g^T [k, og] x dY_g [og, width]; for a pointwise kernel the columns are the image.
                    var gx = gradInput.Span.Slice(c0 * inImage, count * inImage);
                    var dcols = g.IsPointwise ? gx : columnBuffer.AsSpan(0, count * colImage);
                    for (var gi = 0; gi < groups; gi++)
                    {
                        ConvolutionKernels.Multiply(true, false, k, width, og, w.Slice(gi * og * k, og * k), k,
                            grad[(gi * og * width)..], width, dcols[(gi * k * width)..], width, accumulate: false);
                    }

                    if (!g.IsPointwise)
                    {
                        gx.Clear();
                        for (var i = 0; i < count; i++)
                        {
                            ConvolutionKernels.Col2Im<T>(dcols[(i * plane)..], g, gx.Slice(i * inImage, inImage), width);
                        }
                    }
                }
            }
        }
        finally
        {
            Return(columnBuffer);
            Return(gradBuffer);
        }

        return gw;
    }

    /// <summary>
    /// How many images one chunk unfolds together: as many as fit in <see cref="ChunkColumnElements"/> column elements,
    /// at least one, at most the longest run; one for a pointwise kernel, whose columns are the image itself.
    /// </summary>
    internal static int ImagesPerChunk(int batch, in ConvolutionGeometry g)
    {
        if (g.IsPointwise)
        {
            return 1;
        }

        var perRun = (batch + RunCount(batch) - 1) / RunCount(batch);
        var fit = ChunkColumnElements / Math.Max(1L, (long)g.ColumnRows * g.OutPlane);
        return (int)Math.Clamp(fit, 1, Math.Max(1, perRun));
    }

    // c[i, j] += dot(a[i, :], b[j, :]) over rows of length `width` (a: rows x width, b: cols x width, both with row
    // stride `width`), in blocks of columns small enough for the block of b to stay in L1/L2. For the weight gradient of
    // a layer with few output channels (LeNet's first: 6 x 25 over 32 * 784 columns) this beats GEMM, whose tiles would
    // be mostly padding and whose transposed packing of b is the dominant cost.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateDots<T>(ReadOnlySpan<T> a, int rows, ReadOnlySpan<T> b, int cols, int width, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Block = 1024;
        for (var l0 = 0; l0 < width; l0 += Block)
        {
            var len = Math.Min(Block, width - l0);
            for (var i = 0; i < rows; i++)
            {
                ref var ai = ref Unsafe.Add(ref MemoryMarshal.GetReference(a), (i * width) + l0);
                var ci = c.Slice(i * cols, cols);
                var j = 0;
                for (; j + 4 <= cols; j += 4)
                {
                    ref var b0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(b), (j * width) + l0);
                    Dot4(ref ai, ref b0, width, len, ci.Slice(j, 4));
                }

                for (; j < cols; j++)
                {
                    ci[j] += TensorPrimitives.Dot(a.Slice((i * width) + l0, len), b.Slice((j * width) + l0, len));
                }
            }
        }
    }

    // c[0..4) += dot(a[0..len), b_r[0..len)) for the four rows b_r = b + r * stride, sharing the loads of a.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4<T>(ref T a, ref T b, int stride, int len, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var l = 0;
        T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var v0 = Vector256<T>.Zero;
            var v1 = Vector256<T>.Zero;
            var v2 = Vector256<T>.Zero;
            var v3 = Vector256<T>.Zero;
            var n = (nuint)stride;
            for (; l <= len - Vector256<T>.Count; l += Vector256<T>.Count)
            {
                var x = Vector256.LoadUnsafe(ref a, (nuint)l);
                v0 += x * Vector256.LoadUnsafe(ref b, (nuint)l);
                v1 += x * Vector256.LoadUnsafe(ref b, n + (nuint)l);
                v2 += x * Vector256.LoadUnsafe(ref b, (2 * n) + (nuint)l);
                v3 += x * Vector256.LoadUnsafe(ref b, (3 * n) + (nuint)l);
            }

            s0 = Vector256.Sum(v0);
            s1 = Vector256.Sum(v1);
            s2 = Vector256.Sum(v2);
            s3 = Vector256.Sum(v3);
        }

        for (; l < len; l++)
        {
            var x = Unsafe.Add(ref a, l);
            s0 += x * Unsafe.Add(ref b, l);
            s1 += x * Unsafe.Add(ref b, stride + l);
            s2 += x * Unsafe.Add(ref b, (2 * stride) + l);
            s3 += x * Unsafe.Add(ref b, (3 * stride) + l);
        }

        c[0] += s0;
        c[1] += s1;
        c[2] += s2;
        c[3] += s3;
    }

    // Writes a chunk's GEMM result [O, count * plane] into NCHW order [count, O, plane], adding the bias. With one image
    // the layouts coincide and the result is the output itself, so only the bias is added.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScatterOutput<T>(ReadOnlySpan<T> result, int count, int outChannels, int plane, ReadOnlySpan<T> bias, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var width = count * plane;
        for (var o = 0; o < outChannels; o++)
        {
            for (var i = 0; i < count; i++)
            {
                var src = result.Slice((o * width) + (i * plane), plane);
                var dst = output.Slice((((i * outChannels) + o) * plane), plane);
                if (!bias.IsEmpty)
                {
                    TensorPrimitives.Add(src, bias[o], dst);
                }
                else if (count > 1)
                {
                    src.CopyTo(dst);
                }
            }
        }
    }

    // Rearranges a chunk's output gradient from NCHW [count, O, plane] to [O, count * plane].
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GatherGradient<T>(ReadOnlySpan<T> grad, int count, int outChannels, int plane, Span<T> arranged)
        where T : unmanaged
    {
        var width = count * plane;
        for (var i = 0; i < count; i++)
        {
            for (var o = 0; o < outChannels; o++)
            {
                grad.Slice(((i * outChannels) + o) * plane, plane).CopyTo(arranged.Slice((o * width) + (i * plane), plane));
            }
        }
    }

    private static void Return<T>(T[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>How many runs the batch is cut into: one per core, at most one per image.</summary>
    internal static int RunCount(int batch) => Math.Max(1, Math.Min(batch, Environment.ProcessorCount));

    /// <summary>Calls <paramref name="body"/>(run, first, end) for each run of images, in parallel when there is more than one.</summary>
    private static void ForEachRun(int batch, Action<int, int, int> body)
    {
        var runs = RunCount(batch);
        if (runs == 1)
        {
            body(0, 0, batch);
            return;
        }

        Parallel.For(0, runs, r => body(r, RunStart(r, runs, batch), RunStart(r + 1, runs, batch)));
    }

    private static int RunStart(int run, int runs, int batch) => (int)((long)run * batch / runs);
}
