using Tessera.Mpc.Providers;
using Tessera.Mpc.Sharing;
using Tessera.Mpc.Tensors;

namespace Tessera.Mpc.Protocols;

/// <summary>
/// 2-D convolution of shared images with shared kernels by a convolution Beaver triple (c = conv(a, b)): one round that
/// opens the images and kernels once, instead of the kh kw times larger unfolded images a matmul triple would open.
/// </summary>
/// <remarks>
/// <para>Steps: open e = x - a (images) and f = w - b (kernels) in one message; party i sets
/// z_i = conv(x_i, f) + conv(e, b_i) + c_i (one ring GEMM over the stacked unfoldings). The sum is
/// conv(x, w - b) + conv(x - a, b) + conv(a, b) = conv(x, w).</para>
/// <para>Traffic per party to every other party, one round: 8(N C H W + O C kh kw) bytes. From the dealer: 8 N O outH outW
/// (c's correction). The result's fractional bits are the sum of the operands'.</para>
/// </remarks>
public static class BeaverConvolution
{
    /// <summary>conv2d(x, w) on shares, no bias, no dilation, one group; not truncated.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares of images [N, C, H, W].</param>
    /// <param name="w">Shares of kernels [O, C, kh, kw].</param>
    /// <param name="stride">The step between windows; positive.</param>
    /// <param name="padding">Zeros on every side; not negative.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares of [N, O, outH, outW] with fractional bits x.FractionalBits + w.FractionalBits.</returns>
    /// <exception cref="ArgumentException">The shapes do not describe a convolution.</exception>
    public static async ValueTask<SharedTensor> Conv2dAsync(
        this MpcSession session, SharedTensor x, SharedTensor w, int stride = 1, int padding = 0, CancellationToken cancellationToken = default)
    {
        ArithmeticSharing.Check(session, x);
        ArithmeticSharing.Check(session, w);
        var request = TripleRequest.Conv2d(x.ShapeArray, w.ShapeArray, stride, padding);
        var g = request.Geometry;
        var triple = await session.Provider.GetTripleAsync(request, cancellationToken).ConfigureAwait(false);
        var opened = await BeaverMultiplication.OpenAsync(session, "conv2d", x.Share, triple.A, w.Share, triple.B, cancellationToken)
            .ConfigureAwait(false);
        var e = opened.AsSpan(0, x.Count).ToArray();
        var f = opened.AsSpan(x.Count, w.Count).ToArray();
        var z = RingConvolution.Conv2dSum(x.Share, f, e, triple.B, g, stride, padding);
        RingKernels.Add(z, triple.C, z);
        return new SharedTensor(session, z, [g.Batch, g.OutChannels, g.OutHeight, g.OutWidth], x.FractionalBits + w.FractionalBits);
    }
}
