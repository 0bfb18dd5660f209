namespace Tessera.Mpc.Tensors;

/// <summary>
/// Local index shuffles and reductions on a party's share (row-major ulong arrays): every map here is linear over the
/// ring, so applying it to each party's share applies it to the secret. No communication.
/// </summary>
internal static class ShareLayout
{
    /// <summary>Sums <paramref name="share"/> of <paramref name="shape"/> over <paramref name="dim"/> (wrapping).</summary>
    public static ulong[] SumDim(ulong[] share, int[] shape, int dim)
    {
        int outer = 1, inner = 1;
        for (var d = 0; d < dim; d++)
        {
            outer *= shape[d];
        }

        for (var d = dim + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }

        var length = shape[dim];
        var result = new ulong[outer * inner];
        for (var o = 0; o < outer; o++)
        {
            var destination = result.AsSpan(o * inner, inner);
            for (var j = 0; j < length; j++)
            {
                RingKernels.Add(destination, share.AsSpan(((o * length) + j) * inner, inner), destination);
            }
        }

        return result;
    }

    /// <summary>Swaps two dimensions of a row-major share (a copy).</summary>
    public static ulong[] Transpose(ulong[] share, int[] shape, int dim0, int dim1)
    {
        var permuted = Tensor.FromArray(share, shape).Transpose(dim0, dim1).Contiguous();
        return permuted.ToArray<ulong>();
    }

    /// <summary>
    /// Unfolds images [N, C, H, W] into columns [C kh kw, N outH outW] (row c*kh*kw + i*kw + j, column n*outH*outW + y*outW
    /// + x), zeros where the window covers padding.
    /// </summary>
    public static ulong[] Im2Col(
        ulong[] image, int batch, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int stride, int padding, int outHeight, int outWidth)
    {
        var unfold = new Unfold(image, new ulong[channels * kernelHeight * kernelWidth * batch * outHeight * outWidth]);
        WalkWindows(ref unfold, batch, channels, height, width, kernelHeight, kernelWidth, stride, padding, outHeight, outWidth);
        return unfold.Columns;
    }

    /// <summary>Rearranges a product [O, N outH outW] into [N, O, outH, outW].</summary>
    public static ulong[] ChannelsFirstToBatchFirst(ulong[] product, int outChannels, int batch, int plane)
    {
        var result = new ulong[product.Length];
        for (var o = 0; o < outChannels; o++)
        {
            for (var n = 0; n < batch; n++)
            {
                product.AsSpan(((o * batch) + n) * plane, plane).CopyTo(result.AsSpan(((n * outChannels) + o) * plane, plane));
            }
        }

        return result;
    }

    /// <summary>
    /// The adjoint of <see cref="Im2Col"/>: adds columns [C kh kw, N outH outW] back into images [N, C, H, W] (overlapping
    /// windows add up; padding positions are dropped). Linear, so it acts on shares.
    /// </summary>
    public static ulong[] Col2Im(
        ulong[] columns, int batch, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int stride, int padding, int outHeight, int outWidth)
    {
        var fold = new Fold(new ulong[batch * channels * height * width], columns);
        WalkWindows(ref fold, batch, channels, height, width, kernelHeight, kernelWidth, stride, padding, outHeight, outWidth);
        return fold.Image;
    }

    /// <summary>Rearranges [N, O, outH, outW] into [O, N outH outW] (the inverse of <see cref="ChannelsFirstToBatchFirst"/>).</summary>
    public static ulong[] BatchFirstToChannelsFirst(ulong[] output, int outChannels, int batch, int plane)
    {
        var result = new ulong[output.Length];
        for (var n = 0; n < batch; n++)
        {
            for (var o = 0; o < outChannels; o++)
            {
                output.AsSpan(((n * outChannels) + o) * plane, plane).CopyTo(result.AsSpan(((o * batch) + n) * plane, plane));
            }
        }

        return result;
    }

    /// <summary>
    /// Calls <paramref name="visitor"/> with (column-matrix index, image index) for every kernel tap of every window that
    /// falls inside the image: the one loop nest behind <see cref="Im2Col"/> and <see cref="Col2Im"/> (a struct visitor,
    /// so the JIT specialises and inlines it).
    /// </summary>
    private static void WalkWindows<TVisitor>(
        ref TVisitor visitor, int batch, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int stride, int padding, int outHeight, int outWidth)
        where TVisitor : struct, IWindowVisitor
    {
        var plane = outHeight * outWidth;
        var columnCount = batch * plane;
        for (var c = 0; c < channels; c++)
        {
            for (var i = 0; i < kernelHeight; i++)
            {
                for (var j = 0; j < kernelWidth; j++)
                {
                    var rowStart = ((((c * kernelHeight) + i) * kernelWidth) + j) * columnCount;
                    for (var n = 0; n < batch; n++)
                    {
                        var imageStart = ((n * channels) + c) * height * width;
                        for (var y = 0; y < outHeight; y++)
                        {
                            var inY = (y * stride) - padding + i;
                            if (inY < 0 || inY >= height)
                            {
                                continue;
                            }

                            for (var x = 0; x < outWidth; x++)
                            {
                                var inX = (x * stride) - padding + j;
                                if (inX >= 0 && inX < width)
                                {
                                    visitor.Visit(rowStart + (n * plane) + (y * outWidth) + x, imageStart + (inY * width) + inX);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private interface IWindowVisitor
    {
        void Visit(int column, int pixel);
    }

    private readonly struct Unfold(ulong[] image, ulong[] columns) : IWindowVisitor
    {
        public ulong[] Columns { get; } = columns;

        public void Visit(int column, int pixel) => Columns[column] = image[pixel];
    }

    private readonly struct Fold(ulong[] image, ulong[] columns) : IWindowVisitor
    {
        public ulong[] Image { get; } = image;

        public void Visit(int column, int pixel) => Image[pixel] = unchecked(Image[pixel] + columns[column]);
    }
}
