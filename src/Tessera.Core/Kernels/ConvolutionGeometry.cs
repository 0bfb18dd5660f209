namespace Tessera.Kernels;

/// <summary>
/// The shape of a sliding 2-D window over one image of <see cref="Channels"/> planes: the input size, the kernel, and
/// its stride, zero padding and dilation in each direction. Convolution and pooling share it.
/// </summary>
/// <remarks>
/// The output size follows PyTorch (floor mode): <c>out = (in + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1</c>.
/// </remarks>
internal readonly record struct ConvolutionGeometry(
    int Channels,
    int Height,
    int Width,
    int KernelHeight,
    int KernelWidth,
    int StrideHeight = 1,
    int StrideWidth = 1,
    int PadHeight = 0,
    int PadWidth = 0,
    int DilationHeight = 1,
    int DilationWidth = 1)
{
    /// <summary>The output height; zero or less when the dilated kernel does not fit the padded input.</summary>
    public int OutHeight => Floor(Height + (2 * PadHeight) - (DilationHeight * (KernelHeight - 1)) - 1, StrideHeight) + 1;

    /// <summary>The output width; zero or less when the dilated kernel does not fit the padded input.</summary>
    public int OutWidth => Floor(Width + (2 * PadWidth) - (DilationWidth * (KernelWidth - 1)) - 1, StrideWidth) + 1;

    /// <summary>Output positions per plane: <c>OutHeight * OutWidth</c>.</summary>
    public int OutPlane => OutHeight * OutWidth;

    /// <summary>Input positions per plane: <c>Height * Width</c>.</summary>
    public int InPlane => Height * Width;

    /// <summary>Rows of the im2col matrix: <c>Channels * KernelHeight * KernelWidth</c>.</summary>
    public int ColumnRows => Channels * KernelHeight * KernelWidth;

    /// <summary>Whether the convolution is a plain per-pixel matrix product (1x1 kernel, stride 1, no padding).</summary>
    public bool IsPointwise => KernelHeight == 1 && KernelWidth == 1 && StrideHeight == 1 && StrideWidth == 1
        && PadHeight == 0 && PadWidth == 0;

    /// <summary>
    /// The output positions <c>o</c> in [<c>Start</c>, <c>End</c>) whose input coordinate <c>o * stride + offset</c>
    /// lies inside [0, <paramref name="size"/>); those outside read zero padding.
    /// </summary>
    /// <param name="offset">The input coordinate of output position 0 for this kernel tap (may be negative).</param>
    /// <param name="stride">The stride; positive.</param>
    /// <param name="size">The input size along this axis.</param>
    /// <param name="outSize">The output size along this axis.</param>
    public static (int Start, int End) ValidRange(int offset, int stride, int size, int outSize)
    {
        var start = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        var end = size - offset <= 0 ? 0 : (size - offset + stride - 1) / stride;
        start = Math.Min(start, outSize);
        end = Math.Clamp(end, start, outSize);
        return (start, end);
    }

    // Integer division that rounds toward negative infinity, so a kernel that does not fit gives OutHeight <= 0.
    private static int Floor(int x, int y) => x >= 0 ? x / y : -((-x + y - 1) / y);
}
