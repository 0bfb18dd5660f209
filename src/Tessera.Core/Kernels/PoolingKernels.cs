using System.Numerics;
using System.Runtime.CompilerServices;

namespace Tessera.Kernels;

/// <summary>
/// Span kernels for 2-D max and average pooling over a run of planes [planes, H, W] laid out contiguously.
/// </summary>
/// <remarks>
/// Windows follow PyTorch's defaults: floor mode (no partial windows past the padded input), padding that never
/// wins a max (it is skipped, as if it were negative infinity), and for averages a divisor of kh * kw that counts
/// the zero padding (<c>count_include_pad = true</c>). Dilation in the geometry is ignored (taken as 1).
/// Max pooling records, for each output, the flat index (y * W + x) of the winning input within its plane; NaN wins
/// over any number, as in PyTorch.
/// </remarks>
internal static class PoolingKernels
{
    /// <summary>Max pooling forward.</summary>
    /// <param name="input">The planes, planes * H * W elements.</param>
    /// <param name="planes">How many planes.</param>
    /// <param name="g">The window geometry (its Channels is ignored).</param>
    /// <param name="output">The pooled values, planes * outH * outW elements.</param>
    /// <param name="indices">The winning index within the input plane for each output.</param>
    public static void MaxPoolForward<T>(ReadOnlySpan<T> input, int planes, in ConvolutionGeometry g, Span<T> output, Span<int> indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(input.Length, output.Length, planes, g);
        if (indices.Length < output.Length)
        {
            throw new ArgumentException($"The indices span has {indices.Length} elements; the output has {output.Length}.", nameof(indices));
        }

        var outH = g.OutHeight;
        var outW = g.OutWidth;
        for (var p = 0; p < planes; p++)
        {
            var plane = input.Slice(p * g.InPlane, g.InPlane);
            var o = p * outH * outW;
            for (var oy = 0; oy < outH; oy++)
            {
                var (ys, ye) = WindowRange(oy, g.StrideHeight, g.PadHeight, g.KernelHeight, g.Height);
                for (var ox = 0; ox < outW; ox++, o++)
                {
                    var (xs, xe) = WindowRange(ox, g.StrideWidth, g.PadWidth, g.KernelWidth, g.Width);
                    var best = (ys * g.Width) + xs;
                    var max = plane[best];
                    for (var y = ys; y < ye; y++)
                    {
                        var start = y * g.Width;
                        var row = plane.Slice(start + xs, xe - xs);
                        for (var x = 0; x < row.Length; x++)
                        {
                            // Branch-free: on real data the winner is unpredictable, and a mispredicted branch per
                            // element cost ten times the arithmetic. T.Max propagates NaN, matching `wins`.
                            var v = row[x];
                            var wins = (v > max) | T.IsNaN(v);
                            var mask = -(int)Unsafe.As<bool, byte>(ref wins);
                            best = (best & ~mask) | ((start + xs + x) & mask);
                            max = T.Max(max, v);
                        }
                    }

                    output[o] = max;
                    indices[o] = best;
                }
            }
        }
    }

    /// <summary>Max pooling backward: adds each output gradient to the input that won its window.</summary>
    /// <param name="gradOutput">The gradient of the pooled values, planes * outH * outW elements.</param>
    /// <param name="indices">The winners recorded by <see cref="MaxPoolForward{T}"/>.</param>
    /// <param name="planes">How many planes.</param>
    /// <param name="g">The window geometry.</param>
    /// <param name="gradInput">The gradient of the input, planes * H * W elements, accumulated into.</param>
    public static void MaxPoolBackward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<int> indices, int planes, in ConvolutionGeometry g,
        Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(gradInput.Length, gradOutput.Length, planes, g);
        var outPlane = g.OutPlane;
        for (var p = 0; p < planes; p++)
        {
            var gi = gradInput.Slice(p * g.InPlane, g.InPlane);
            var go = gradOutput.Slice(p * outPlane, outPlane);
            var idx = indices.Slice(p * outPlane, outPlane);
            for (var o = 0; o < outPlane; o++)
            {
                gi[idx[o]] += go[o];
            }
        }
    }

    /// <summary>Average pooling forward, dividing by kh * kw (padding counts as zeros).</summary>
    /// <param name="input">The planes, planes * H * W elements.</param>
    /// <param name="planes">How many planes.</param>
    /// <param name="g">The window geometry.</param>
    /// <param name="output">The averages, planes * outH * outW elements.</param>
    public static void AvgPoolForward<T>(ReadOnlySpan<T> input, int planes, in ConvolutionGeometry g, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(input.Length, output.Length, planes, g);
        var outH = g.OutHeight;
        var outW = g.OutWidth;
        var scale = T.One / T.CreateChecked(g.KernelHeight * g.KernelWidth);
        for (var p = 0; p < planes; p++)
        {
            var plane = input.Slice(p * g.InPlane, g.InPlane);
            var o = p * outH * outW;
            for (var oy = 0; oy < outH; oy++)
            {
                var (ys, ye) = WindowRange(oy, g.StrideHeight, g.PadHeight, g.KernelHeight, g.Height);
                for (var ox = 0; ox < outW; ox++, o++)
                {
                    var (xs, xe) = WindowRange(ox, g.StrideWidth, g.PadWidth, g.KernelWidth, g.Width);
                    var sum = T.Zero;
                    for (var y = ys; y < ye; y++)
                    {
                        foreach (var v in plane.Slice((y * g.Width) + xs, xe - xs))
                        {
                            sum += v;
                        }
                    }

                    output[o] = sum * scale;
                }
            }
        }
    }

    /// <summary>Average pooling backward: spreads each output gradient over its window, divided by kh * kw.</summary>
    /// <param name="gradOutput">The gradient of the averages, planes * outH * outW elements.</param>
    /// <param name="planes">How many planes.</param>
    /// <param name="g">The window geometry.</param>
    /// <param name="gradInput">The gradient of the input, planes * H * W elements, accumulated into.</param>
    public static void AvgPoolBackward<T>(ReadOnlySpan<T> gradOutput, int planes, in ConvolutionGeometry g, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(gradInput.Length, gradOutput.Length, planes, g);
        var outH = g.OutHeight;
        var outW = g.OutWidth;
        var scale = T.One / T.CreateChecked(g.KernelHeight * g.KernelWidth);
        for (var p = 0; p < planes; p++)
        {
            var plane = gradInput.Slice(p * g.InPlane, g.InPlane);
            var o = p * outH * outW;
            for (var oy = 0; oy < outH; oy++)
            {
                var (ys, ye) = WindowRange(oy, g.StrideHeight, g.PadHeight, g.KernelHeight, g.Height);
                for (var ox = 0; ox < outW; ox++, o++)
                {
                    var (xs, xe) = WindowRange(ox, g.StrideWidth, g.PadWidth, g.KernelWidth, g.Width);
                    var share = gradOutput[o] * scale;
                    for (var y = ys; y < ye; y++)
                    {
                        foreach (ref var v in plane.Slice((y * g.Width) + xs, xe - xs))
                        {
                            v += share;
                        }
                    }
                }
            }
        }
    }

    // The input rows (or columns) [start, end) under output position o's window, clipped to the unpadded input.
    private static (int Start, int End) WindowRange(int o, int stride, int pad, int kernel, int size)
    {
        var start = (o * stride) - pad;
        return (Math.Max(start, 0), Math.Min(start + kernel, size));
    }

    private static void CheckLengths(int inputLength, int outputLength, int planes, in ConvolutionGeometry g)
    {
        if (g.OutHeight <= 0 || g.OutWidth <= 0 || g.PadHeight * 2 > g.KernelHeight || g.PadWidth * 2 > g.KernelWidth)
        {
            throw new ArgumentException($"Invalid pooling window: {g}.");
        }

        if (inputLength < (long)planes * g.InPlane || outputLength < (long)planes * g.OutPlane)
        {
            throw new ArgumentException(
                $"Pooling {planes} planes with {g} needs {(long)planes * g.InPlane} input and {(long)planes * g.OutPlane} "
                + $"output elements; the spans have {inputLength} and {outputLength}.");
        }
    }
}
