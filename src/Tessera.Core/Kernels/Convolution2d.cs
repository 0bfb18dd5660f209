using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Tessera.Kernels;

/// <summary>
/// Batched 2-D convolution on contiguous buffers: input [N, C, H, W], weight [O, C / groups, kh, kw], output
/// [N, O, outH, outW]. Each image is unfolded with im2col and multiplied by each group's weight block with GEMM.
/// </summary>
/// <remarks>
/// The GEMMs of one image are small (O x C*kh*kw by C*kh*kw x outH*outW), so the work is split over the batch rather
/// than inside GEMM: the images are cut into one fixed run per core, each run has its own column buffer, and the
/// weight gradient is accumulated per run and summed in run order, so results do not depend on thread timing.
/// </remarks>
internal static class Convolution2d
{
    /// <summary>The forward pass.</summary>
    /// <param name="input">The input, N * C * H * W elements.</param>
    /// <param name="batch">N.</param>
    /// <param name="g">The geometry of one image (Channels = C).</param>
    /// <param name="groups">The number of groups; C and O are multiples of it.</param>
    /// <param name="weight">The weight, O * (C / groups) * kh * kw elements.</param>
    /// <param name="outChannels">O.</param>
    /// <param name="bias">The bias, O elements, or empty for none.</param>
    /// <param name="output">The output, N * O * outH * outW elements; every element is written.</param>
    /// <param name="savedColumns">When not null, receives every image's column matrix (N * ColumnRows * OutPlane elements) for the backward pass.</param>
    public static void Forward<T>(ReadOnlyMemory<T> input, int batch, ConvolutionGeometry g, int groups, ReadOnlyMemory<T> weight,
        int outChannels, ReadOnlyMemory<T> bias, Memory<T> output, T[]? savedColumns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inImage = g.Channels * g.InPlane;
        var plane = g.OutPlane;
        var outImage = outChannels * plane;
        var colImage = g.ColumnRows * plane;
        var k = g.ColumnRows / groups;
        var og = outChannels / groups;
        ForEachRun(batch, (run, first, end) =>
        {
            var rented = savedColumns is null && !g.IsPointwise ? ArrayPool<T>.Shared.Rent(colImage) : null;
            try
            {
                for (var n = first; n < end; n++)
                {
                    var image = input.Span.Slice(n * inImage, inImage);
                    ReadOnlySpan<T> cols = image;
                    if (!g.IsPointwise)
                    {
                        var buffer = savedColumns is not null ? savedColumns.AsSpan(n * colImage, colImage) : rented.AsSpan(0, colImage);
                        ConvolutionKernels.Im2Col(image, g, buffer);
                        cols = buffer;
                    }

                    var result = output.Span.Slice(n * outImage, outImage);
                    var w = weight.Span;
                    for (var gi = 0; gi < groups; gi++)
                    {
                        ConvolutionKernels.Multiply(false, false, og, plane, k, w.Slice(gi * og * k, og * k), k,
                            cols.Slice(gi * k * plane, k * plane), plane, result.Slice(gi * og * plane, og * plane), plane, accumulate: false);
                    }

                    var b = bias.Span;
                    for (var o = 0; o < b.Length; o++)
                    {
                        var r = result.Slice(o * plane, plane);
                        TensorPrimitives.Add(r, b[o], r);
                    }
                }
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<T>.Shared.Return(rented);
                }
            }
        });
    }

    /// <summary>The backward pass: any of the three gradients, each written (not accumulated) when its buffer is given.</summary>
    /// <param name="input">The forward input (read only when the weight gradient is wanted and no columns were saved).</param>
    /// <param name="batch">N.</param>
    /// <param name="g">The geometry of one image.</param>
    /// <param name="groups">The number of groups.</param>
    /// <param name="weight">The weight.</param>
    /// <param name="outChannels">O.</param>
    /// <param name="gradOutput">The gradient of the output, N * O * outH * outW elements.</param>
    /// <param name="savedColumns">The columns saved by <see cref="Forward{T}"/>, or null to recompute them.</param>
    /// <param name="gradInput">Receives the input gradient (must be zeroed), or empty.</param>
    /// <param name="gradWeight">Receives the weight gradient, or empty.</param>
    /// <param name="gradBias">Receives the bias gradient, or empty.</param>
    public static void Backward<T>(ReadOnlyMemory<T> input, int batch, ConvolutionGeometry g, int groups, ReadOnlyMemory<T> weight,
        int outChannels, ReadOnlyMemory<T> gradOutput, T[]? savedColumns, Memory<T> gradInput, Memory<T> gradWeight, Memory<T> gradBias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inImage = g.Channels * g.InPlane;
        var plane = g.OutPlane;
        var outImage = outChannels * plane;
        var colImage = g.ColumnRows * plane;
        var k = g.ColumnRows / groups;
        var og = outChannels / groups;
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

        var runs = RunCount(batch);
        var partials = wantWeight ? new T[runs][] : null;
        ForEachRun(batch, (run, first, end) =>
        {
            var needBuffer = !g.IsPointwise && (wantInput || savedColumns is null);
            var rented = needBuffer ? ArrayPool<T>.Shared.Rent(colImage) : null;
            var gw = wantWeight ? new T[gradWeight.Length] : null;
            try
            {
                for (var n = first; n < end; n++)
                {
                    var grad = gradOutput.Span.Slice(n * outImage, outImage);
                    var w = weight.Span;
                    if (gw is not null)
                    {
                        var image = input.Span.Slice(n * inImage, inImage);
                        ReadOnlySpan<T> cols = image;
                        if (savedColumns is not null)
                        {
                            cols = savedColumns.AsSpan(n * colImage, colImage);
                        }
                        else if (!g.IsPointwise)
                        {
                            ConvolutionKernels.Im2Col(image, g, rented.AsSpan(0, colImage));
                            cols = rented.AsSpan(0, colImage);
                        }

                        // dW_g += dY_g [og, L] x cols_g^T [L, k]
                        for (var gi = 0; gi < groups; gi++)
                        {
                            ConvolutionKernels.Multiply(false, true, og, k, plane, grad.Slice(gi * og * plane, og * plane), plane,
                                cols.Slice(gi * k * plane, k * plane), plane, gw.AsSpan(gi * og * k, og * k), k, accumulate: true);
                        }
                    }

                    if (wantInput)
                    {
                        // dCols_g [k, L] = W_g^T [k, og] x dY_g [og, L]; for a pointwise kernel the columns are the image.
                        var gx = gradInput.Span.Slice(n * inImage, inImage);
                        var dcols = g.IsPointwise ? gx : rented.AsSpan(0, colImage);
                        for (var gi = 0; gi < groups; gi++)
                        {
                            ConvolutionKernels.Multiply(true, false, k, plane, og, w.Slice(gi * og * k, og * k), k,
                                grad.Slice(gi * og * plane, og * plane), plane, dcols.Slice(gi * k * plane, k * plane), plane, accumulate: false);
                        }

                        if (!g.IsPointwise)
                        {
                            ConvolutionKernels.Col2Im<T>(dcols, g, gx);
                        }
                    }
                }
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<T>.Shared.Return(rented);
                }
            }

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
