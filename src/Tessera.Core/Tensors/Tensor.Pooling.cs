using System.Numerics;
using Tessera.Kernels;

namespace Tessera;

public sealed partial class Tensor
{
    // Below this many window reads a pooling call stays on one thread: a parallel loop costs more than it saves.
    private const long ParallelPoolingWork = 1L << 16;

    /// <summary>2-D max pooling of this [N, C, H, W] tensor; the gradient flows to the maximum of each window.</summary>
    /// <param name="kernelSize">The window size, in both directions; positive.</param>
    /// <param name="stride">The step between windows; the kernel size when null.</param>
    /// <param name="padding">Implicit padding on every side (it never wins); at most half the kernel size.</param>
    /// <returns>A tensor [N, C, outH, outW] with <c>out = (in + 2 * padding - kernelSize) / stride + 1</c> (floor mode).</returns>
    /// <remarks>Ties go to the first maximum in row-major order; NaN wins over any number, as in PyTorch.</remarks>
    /// <exception cref="ArgumentException">The input is not a 4-D floating-point tensor, or the window is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The kernel size or stride is not positive, or the padding is negative or more than half the kernel.</exception>
    public Tensor MaxPool2d(int kernelSize, int? stride = null, int padding = 0)
        => MaxPool2d((kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding));

    /// <summary>2-D max pooling with separate window height and width; see <see cref="MaxPool2d(int, int?, int)"/>.</summary>
    /// <param name="kernelSize">The window size (height, width); positive.</param>
    /// <param name="stride">The step between windows (height, width); the kernel size when null.</param>
    /// <param name="padding">Implicit padding (height, width); at most half the kernel size.</param>
    /// <returns>A tensor [N, C, outH, outW].</returns>
    /// <exception cref="ArgumentException">The input is not a 4-D floating-point tensor, or the window is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The kernel size or stride is not positive, or the padding is negative or more than half the kernel.</exception>
    public Tensor MaxPool2d((int Height, int Width) kernelSize, (int Height, int Width)? stride = null, (int Height, int Width) padding = default)
    {
        var g = CheckPool2d("MaxPool2d", kernelSize, stride ?? kernelSize, padding);
        var x = Detach().Contiguous();
        var planes = _shape[0] * _shape[1];
        var result = Zeros([_shape[0], _shape[1], g.OutHeight, g.OutWidth], DType);
        var indices = new int[result.Count];
        ForEachPlaneRun(planes, g, (p0, p1) =>
        {
            var inRange = (p0 * g.InPlane, (p1 - p0) * g.InPlane);
            var outRange = (p0 * g.OutPlane, (p1 - p0) * g.OutPlane);
            if (DType == DType.Float32)
            {
                PoolingKernels.MaxPoolForward(Slice<float>(x, inRange), p1 - p0, g, Slice<float>(result, outRange),
                    indices.AsSpan(outRange.Item1, outRange.Item2));
            }
            else
            {
                PoolingKernels.MaxPoolForward(Slice<double>(x, inRange), p1 - p0, g, Slice<double>(result, outRange),
                    indices.AsSpan(outRange.Item1, outRange.Item2));
            }
        });

        var self = this;
        return result.Record("MaxPool2d", grad =>
        {
            var gy = grad.Contiguous();
            var gx = self.ZerosLike();
            ForEachPlaneRun(planes, g, (p0, p1) =>
            {
                var inRange = (p0 * g.InPlane, (p1 - p0) * g.InPlane);
                var outRange = (p0 * g.OutPlane, (p1 - p0) * g.OutPlane);
                if (gx.DType == DType.Float32)
                {
                    PoolingKernels.MaxPoolBackward<float>(Slice<float>(gy, outRange), indices.AsSpan(outRange.Item1, outRange.Item2),
                        p1 - p0, g, Slice<float>(gx, inRange));
                }
                else
                {
                    PoolingKernels.MaxPoolBackward<double>(Slice<double>(gy, outRange), indices.AsSpan(outRange.Item1, outRange.Item2),
                        p1 - p0, g, Slice<double>(gx, inRange));
                }
            });
            return [gx];
        }, this);
    }

    /// <summary>2-D average pooling of this [N, C, H, W] tensor (PyTorch defaults: padding counts as zeros, floor mode).</summary>
    /// <param name="kernelSize">The window size, in both directions; positive.</param>
    /// <param name="stride">The step between windows; the kernel size when null.</param>
    /// <param name="padding">Zero padding on every side; at most half the kernel size.</param>
    /// <returns>A tensor [N, C, outH, outW]; every window sum is divided by kernelSize squared.</returns>
    /// <exception cref="ArgumentException">The input is not a 4-D floating-point tensor, or the window is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The kernel size or stride is not positive, or the padding is negative or more than half the kernel.</exception>
    public Tensor AvgPool2d(int kernelSize, int? stride = null, int padding = 0)
        => AvgPool2d((kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding));

    /// <summary>2-D average pooling with separate window height and width; see <see cref="AvgPool2d(int, int?, int)"/>.</summary>
    /// <param name="kernelSize">The window size (height, width); positive.</param>
    /// <param name="stride">The step between windows (height, width); the kernel size when null.</param>
    /// <param name="padding">Zero padding (height, width); at most half the kernel size.</param>
    /// <returns>A tensor [N, C, outH, outW]; every window sum is divided by kh * kw.</returns>
    /// <exception cref="ArgumentException">The input is not a 4-D floating-point tensor, or the window is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The kernel size or stride is not positive, or the padding is negative or more than half the kernel.</exception>
    public Tensor AvgPool2d((int Height, int Width) kernelSize, (int Height, int Width)? stride = null, (int Height, int Width) padding = default)
    {
        var g = CheckPool2d("AvgPool2d", kernelSize, stride ?? kernelSize, padding);
        var x = Detach().Contiguous();
        var planes = _shape[0] * _shape[1];
        var result = Zeros([_shape[0], _shape[1], g.OutHeight, g.OutWidth], DType);
        ForEachPlaneRun(planes, g, (p0, p1) => AvgPoolRun(x, result, g, p0, p1, forward: true));
        var self = this;
        return result.Record("AvgPool2d", grad =>
        {
            var gy = grad.Contiguous();
            var gx = self.ZerosLike();
            ForEachPlaneRun(planes, g, (p0, p1) => AvgPoolRun(gx, gy, g, p0, p1, forward: false));
            return [gx];
        }, this);
    }

    // Forward reads planes of `image` into `pooled`; backward spreads `pooled` (the output gradient) into `image`.
    private static void AvgPoolRun(Tensor image, Tensor pooled, ConvolutionGeometry g, int p0, int p1, bool forward)
    {
        if (image.DType == DType.Float32)
        {
            AvgPoolRun<float>(image, pooled, g, p0, p1, forward);
        }
        else
        {
            AvgPoolRun<double>(image, pooled, g, p0, p1, forward);
        }
    }

    private static void AvgPoolRun<T>(Tensor image, Tensor pooled, ConvolutionGeometry g, int p0, int p1, bool forward)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inSpan = Slice<T>(image, (p0 * g.InPlane, (p1 - p0) * g.InPlane));
        var outSpan = Slice<T>(pooled, (p0 * g.OutPlane, (p1 - p0) * g.OutPlane));
        if (forward)
        {
            PoolingKernels.AvgPoolForward<T>(inSpan, p1 - p0, g, outSpan);
        }
        else
        {
            PoolingKernels.AvgPoolBackward<T>(outSpan, p1 - p0, g, inSpan);
        }
    }

    private static Span<T> Slice<T>(Tensor t, (int Start, int Length) range)
        where T : unmanaged => t.AsSpan<T>().Slice(range.Start, range.Length);

    // Planes are independent, so runs of them go to different cores when the work is worth it.
    private static void ForEachPlaneRun(int planes, ConvolutionGeometry g, Action<int, int> body)
    {
        var work = (long)planes * g.OutPlane * g.KernelHeight * g.KernelWidth;
        var runs = work < ParallelPoolingWork ? 1 : Math.Min(planes, Environment.ProcessorCount);
        if (runs <= 1)
        {
            body(0, planes);
            return;
        }

        Parallel.For(0, runs, r => body((int)((long)r * planes / runs), (int)((long)(r + 1) * planes / runs)));
    }

    private ConvolutionGeometry CheckPool2d(string operation, (int Height, int Width) kernelSize, (int Height, int Width) stride,
        (int Height, int Width) padding)
    {
        if (Rank != 4)
        {
            throw new ArgumentException($"{operation} needs a 4-D input [N, C, H, W]; got {ShapeHelpers.Format(_shape)}.");
        }

        if (!IsFloatingPoint)
        {
            throw new ArgumentException($"{operation} needs Float32 or Float64, not {DType} (input {ShapeHelpers.Format(_shape)}).");
        }

        CheckPositive(kernelSize, nameof(kernelSize), operation);
        CheckPositive(stride, nameof(stride), operation);
        CheckNotNegative(padding, nameof(padding), operation);
        if (padding.Height * 2 > kernelSize.Height || padding.Width * 2 > kernelSize.Width)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding,
                $"{operation}: the padding must be at most half the kernel size ({kernelSize.Height}, {kernelSize.Width}).");
        }

        var g = new ConvolutionGeometry(_shape[1], _shape[2], _shape[3], kernelSize.Height, kernelSize.Width, stride.Height,
            stride.Width, padding.Height, padding.Width);
        if (g.OutHeight <= 0 || g.OutWidth <= 0)
        {
            throw new ArgumentException(
                $"{operation}: the window ({kernelSize.Height}, {kernelSize.Width}) is larger than the input "
                + $"{ShapeHelpers.Format(_shape)} padded by ({padding.Height}, {padding.Width}).", nameof(kernelSize));
        }

        return g;
    }
}
