using System.Numerics;
using Tessera.Kernels;

namespace Tessera;

public sealed partial class Tensor
{
    /// <summary>
    /// The largest column buffer (in bytes, over the whole batch) that a convolution keeps from its forward pass for the
    /// weight gradient; above it the backward pass unfolds the input again.
    /// </summary>
    /// <remarks>
    /// Unfolding costs C*kh*kw*outH*outW copies per image against O times as many multiply-adds in the GEMM, so
    /// recomputing is cheap; keeping the columns pays only while they are small enough to stay out of the way of the
    /// cache and the GC (LeNet's layers need 4-5 MiB at N = 64; a 64-channel 3x3 layer at 32x32, N = 32, needs 72 MiB).
    /// </remarks>
    internal const long DefaultSavedColumnBytes = 32L << 20;

    /// <summary>
    /// 2-D convolution (cross-correlation, as in PyTorch) of this [N, C, H, W] tensor with <paramref name="weight"/>
    /// [O, C / groups, kh, kw], plus an optional <paramref name="bias"/> [O]. Gradients flow to all three.
    /// </summary>
    /// <param name="weight">The kernels, [O, C / groups, kh, kw], same dtype as this tensor.</param>
    /// <param name="bias">The per-output-channel bias [O], or null.</param>
    /// <param name="stride">The step between windows, in both directions; positive.</param>
    /// <param name="padding">Zeros added on every side; not negative.</param>
    /// <param name="dilation">The spacing between kernel taps; positive.</param>
    /// <param name="groups">Splits input and output channels into this many independent groups; divides C and O.</param>
    /// <returns>A tensor [N, O, outH, outW] with <c>out = (in + 2 * padding - dilation * (k - 1) - 1) / stride + 1</c>.</returns>
    /// <remarks>
    /// Chunks of images are unfolded side by side with im2col and multiplied by the weight with one GEMM per chunk and
    /// group; the chunks run in parallel. The backward
    /// pass keeps the unfolded input from the forward pass when it is small enough (32 MiB), otherwise recomputes it.
    /// Thread safety: as for any operation, the inputs must not be written during the call.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="weight"/> is null.</exception>
    /// <exception cref="ArgumentException">A rank, channel count, group split, dtype or bias shape does not match, or the
    /// dilated kernel is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A stride, dilation or group count is not positive, or the padding is negative.</exception>
    public Tensor Conv2d(Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
        => Conv2d(weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    /// <summary>
    /// 2-D convolution with separate vertical and horizontal stride, padding and dilation; see
    /// <see cref="Conv2d(Tensor, Tensor?, int, int, int, int)"/>.
    /// </summary>
    /// <param name="weight">The kernels, [O, C / groups, kh, kw], same dtype as this tensor.</param>
    /// <param name="bias">The per-output-channel bias [O], or null.</param>
    /// <param name="stride">The step between windows (height, width); positive.</param>
    /// <param name="padding">Zeros added (top and bottom, left and right); not negative.</param>
    /// <param name="dilation">The spacing between kernel taps (height, width); positive; (1, 1) when null.</param>
    /// <param name="groups">Splits input and output channels into this many independent groups; divides C and O.</param>
    /// <returns>A tensor [N, O, outH, outW].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="weight"/> is null.</exception>
    /// <exception cref="ArgumentException">A rank, channel count, group split, dtype or bias shape does not match, or the
    /// dilated kernel is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A stride, dilation or group count is not positive, or the padding is negative.</exception>
    public Tensor Conv2d(Tensor weight, Tensor? bias, (int Height, int Width) stride, (int Height, int Width) padding = default,
        (int Height, int Width)? dilation = null, int groups = 1)
        => Conv2dCore(weight, bias, stride, padding, dilation ?? (1, 1), groups, DefaultSavedColumnBytes);

    /// <summary>The convolution with an explicit limit on the columns kept for the backward pass (tests set it to 0).</summary>
    internal Tensor Conv2dCore(Tensor weight, Tensor? bias, (int Height, int Width) stride, (int Height, int Width) padding,
        (int Height, int Width) dilation, int groups, long savedColumnBytes)
    {
        var g = CheckConv2d(weight, bias, stride, padding, dilation, groups);
        var batch = _shape[0];
        var outChannels = weight._shape[0];
        var x = Detach().Contiguous();
        var w = weight.Detach().Contiguous();
        var b = bias?.Detach().Contiguous();
        // The kernels write every element of the result and of each gradient, so none needs zeroing.
        var result = Empty([batch, outChannels, g.OutHeight, g.OutWidth], DType);
        var columnBytes = (long)batch * g.ColumnRows * g.OutPlane * DTypes.ElementSize(DType);
        var save = weight.RequiresGrad && Autograd.IsEnabled && !g.IsPointwise && columnBytes <= savedColumnBytes;
        var saved = DType == DType.Float32
            ? Conv2dForward<float>(x, w, b, result, g, groups, save)
            : (Array?)Conv2dForward<double>(x, w, b, result, g, groups, save);

        var self = this;
        Tensor[] inputs = bias is null ? [this, weight] : [this, weight, bias];
        return result.Record("Conv2d", grad =>
        {
            var gx = self.RequiresGrad ? Empty(self._shape, DType) : null;
            var gw = weight.RequiresGrad ? Empty(weight._shape, DType) : null;
            var gb = bias is not null && bias.RequiresGrad ? Empty(bias._shape, DType) : null;
            var gy = grad.Contiguous();
            if (DType == DType.Float32)
            {
                Conv2dBackward(x, w, gy, (float[]?)saved, g, groups, gx, gw, gb);
            }
            else
            {
                Conv2dBackward(x, w, gy, (double[]?)saved, g, groups, gx, gw, gb);
            }

            return bias is null ? [gx, gw] : [gx, gw, gb];
        }, inputs);
    }

    private static T[]? Conv2dForward<T>(Tensor x, Tensor w, Tensor? b, Tensor result, ConvolutionGeometry g, int groups, bool save)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var batch = x._shape[0];
        // Im2Col writes every element, so the buffer need not be zeroed.
        var saved = save ? GC.AllocateUninitializedArray<T>(batch * g.ColumnRows * g.OutPlane) : null;
        Convolution2d.Forward(MemoryOf<T>(x), batch, g, groups, MemoryOf<T>(w), w._shape[0],
            b is null ? ReadOnlyMemory<T>.Empty : MemoryOf<T>(b), MemoryOf<T>(result), saved);
        return saved;
    }

    private static void Conv2dBackward<T>(Tensor x, Tensor w, Tensor gy, T[]? saved, ConvolutionGeometry g, int groups,
        Tensor? gx, Tensor? gw, Tensor? gb)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Convolution2d.Backward(MemoryOf<T>(x), x._shape[0], g, groups, MemoryOf<T>(w), w._shape[0], MemoryOf<T>(gy), saved,
            gx is null ? Memory<T>.Empty : MemoryOf<T>(gx),
            gw is null ? Memory<T>.Empty : MemoryOf<T>(gw),
            gb is null ? Memory<T>.Empty : MemoryOf<T>(gb));
    }

    /// <summary>The elements of a contiguous tensor as memory over its storage.</summary>
    private static Memory<T> MemoryOf<T>(Tensor t)
        where T : unmanaged => ((T[])t.Storage).AsMemory(t.Offset, t.Count);

    private ConvolutionGeometry CheckConv2d(Tensor weight, Tensor? bias, (int Height, int Width) stride,
        (int Height, int Width) padding, (int Height, int Width) dilation, int groups)
    {
        ArgumentNullException.ThrowIfNull(weight);
        var shapes = $"input {ShapeHelpers.Format(_shape)}, weight {ShapeHelpers.Format(weight._shape)}";
        if (Rank != 4)
        {
            throw new ArgumentException($"Conv2d needs a 4-D input [N, C, H, W] ({shapes}).");
        }

        if (weight.Rank != 4)
        {
            throw new ArgumentException($"Conv2d needs a 4-D weight [O, C / groups, kh, kw] ({shapes}).", nameof(weight));
        }

        if (!IsFloatingPoint)
        {
            throw new ArgumentException($"Conv2d needs Float32 or Float64, not {DType} ({shapes}).");
        }

        if (weight.DType != DType)
        {
            throw new ArgumentException($"Conv2d: the weight is {weight.DType} but the input is {DType} ({shapes}).", nameof(weight));
        }

        CheckPositive(stride, nameof(stride), "Conv2d");
        CheckPositive(dilation, nameof(dilation), "Conv2d");
        CheckNotNegative(padding, nameof(padding), "Conv2d");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        int channels = _shape[1], outChannels = weight._shape[0], kh = weight._shape[2], kw = weight._shape[3];
        if (channels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException(
                $"Conv2d: {groups} groups must divide both the input channels {channels} and the output channels {outChannels} ({shapes}).",
                nameof(groups));
        }

        if (weight._shape[1] != channels / groups)
        {
            throw new ArgumentException(
                $"Conv2d: the weight expects {weight._shape[1]} channels per group but the input has {channels} channels in "
                + $"{groups} group(s), {channels / groups} each ({shapes}).", nameof(weight));
        }

        if (kh == 0 || kw == 0 || outChannels == 0)
        {
            throw new ArgumentException($"Conv2d needs a non-empty kernel and at least one output channel ({shapes}).", nameof(weight));
        }

        if (bias is not null && (bias.Rank != 1 || bias._shape[0] != outChannels || bias.DType != DType))
        {
            throw new ArgumentException(
                $"Conv2d: the bias must be a {DType} vector of {outChannels} elements; it is {bias.DType} {ShapeHelpers.Format(bias._shape)} "
                + $"({shapes}).", nameof(bias));
        }

        var g = new ConvolutionGeometry(channels, _shape[2], _shape[3], kh, kw, stride.Height, stride.Width,
            padding.Height, padding.Width, dilation.Height, dilation.Width);
        if (g.OutHeight <= 0 || g.OutWidth <= 0)
        {
            throw new ArgumentException(
                $"Conv2d: the kernel {kh}x{kw} with dilation ({dilation.Height}, {dilation.Width}) spans "
                + $"{(dilation.Height * (kh - 1)) + 1}x{(dilation.Width * (kw - 1)) + 1}, larger than the input padded by "
                + $"({padding.Height}, {padding.Width}) ({shapes}).", nameof(weight));
        }

        CheckArrayLength((long)g.ColumnRows * g.OutPlane, shapes);
        CheckArrayLength((long)_shape[0] * outChannels * g.OutPlane, shapes);
        return g;
    }

    private static void CheckPositive((int Height, int Width) value, string paramName, string operation)
    {
        if (value.Height <= 0 || value.Width <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{operation} needs a positive {paramName}.");
        }
    }

    private static void CheckNotNegative((int Height, int Width) value, string paramName, string operation)
    {
        if (value.Height < 0 || value.Width < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{operation} needs a non-negative {paramName}.");
        }
    }

    private static void CheckArrayLength(long length, string shapes)
    {
        if (length > Array.MaxLength)
        {
            throw new ArgumentException($"Conv2d would need a buffer of {length} elements, more than one array can hold ({shapes}).");
        }
    }
}
