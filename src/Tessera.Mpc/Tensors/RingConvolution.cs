namespace Tessera.Mpc.Tensors;

/// <summary>2-D convolution in the ring Z_2^64 (wrapping): im2col, then one ring GEMM.</summary>
internal static class RingConvolution
{
    /// <summary>input [N, C, H, W] convolved with weight [O, C, kh, kw]: [N, O, outH, outW].</summary>
    public static ulong[] Conv2d(ulong[] input, ulong[] weight, Conv2dGeometry g, int stride, int padding) =>
        Multiply(weight, g.Taps, Unfold(input, g, stride, padding), g);

    /// <summary>
    /// conv(x1, w1) + conv(x2, w2) as one GEMM with twice the inner dimension: [w1 | w2] (O x 2 taps) times the unfolded
    /// inputs stacked (2 taps x columns), which saves a second GEMM's packing and a pass over the output.
    /// </summary>
    public static ulong[] Conv2dSum(ulong[] x1, ulong[] w1, ulong[] x2, ulong[] w2, Conv2dGeometry g, int stride, int padding)
    {
        var taps = g.Taps;
        var kernels = GC.AllocateUninitializedArray<ulong>(g.OutChannels * 2 * taps);
        for (var o = 0; o < g.OutChannels; o++)
        {
            w1.AsSpan(o * taps, taps).CopyTo(kernels.AsSpan(o * 2 * taps, taps));
            w2.AsSpan(o * taps, taps).CopyTo(kernels.AsSpan((o * 2 * taps) + taps, taps));
        }

        var first = Unfold(x1, g, stride, padding);
        var second = Unfold(x2, g, stride, padding);
        var stacked = GC.AllocateUninitializedArray<ulong>(first.Length + second.Length);
        first.CopyTo(stacked, 0);
        second.CopyTo(stacked, first.Length);
        return Multiply(kernels, 2 * taps, stacked, g);
    }

    private static ulong[] Unfold(ulong[] input, Conv2dGeometry g, int stride, int padding) =>
        ShareLayout.Im2Col(input, g.Batch, g.Channels, g.Height, g.Width, g.KernelHeight, g.KernelWidth, stride, padding, g.OutHeight, g.OutWidth);

    private static ulong[] Multiply(ulong[] kernels, int inner, ulong[] columns, Conv2dGeometry g)
    {
        var product = Tensor.FromArray(kernels, g.OutChannels, inner).MatMul(Tensor.FromArray(columns, inner, g.Columns)).ToArray<ulong>();
        return ShareLayout.ChannelsFirstToBatchFirst(product, g.OutChannels, g.Batch, g.OutHeight * g.OutWidth);
    }
}
