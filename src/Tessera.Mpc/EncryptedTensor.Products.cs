using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;
using Tessera.Mpc.Sharing;
using Tessera.Mpc.Tensors;

namespace Tessera.Mpc;

/// <content>Products: elementwise, matrix and 2-D convolution, each truncated back to the session's scale.</content>
public sealed partial class EncryptedTensor
{
    /// <summary>
    /// this * other elementwise: Beaver product (1 round, elementwise triple of n), then truncation back to the session's
    /// fractional bits (1 round, n truncation pairs) unless one operand is a comparison result (0 fractional bits):
    /// 2 rounds (1 with a 0/1 operand).
    /// </summary>
    /// <param name="other">An encrypted tensor of the same shape.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The product.</returns>
    public async ValueTask<EncryptedTensor> MulAsync(EncryptedTensor other, CancellationToken cancellationToken = default)
    {
        // x * x needs only x - a opened (a square pair): half the bytes.
        var square = ReferenceEquals(other, this);
        if (Shares.ShapeArray.AsSpan().SequenceEqual(Unwrap(other).ShapeArray))
        {
            await AnnounceProductAsync(square ? TripleRequest.Square(Count) : TripleRequest.Elementwise(Count), other, Count, cancellationToken)
                .ConfigureAwait(false);
        }

        var product = square
            ? await Session.SquareAsync(Shares, cancellationToken).ConfigureAwait(false)
            : await Session.MulAsync(Shares, Unwrap(other), cancellationToken).ConfigureAwait(false);
        var result = await RescaleAsync(product, cancellationToken).ConfigureAwait(false);
        return result.Record(
            "mul",
            async (g, ct) =>
            [
                RequiresGrad ? await g.MulAsync(other, ct).ConfigureAwait(false) : null,
                other.RequiresGrad ? await g.MulAsync(this, ct).ConfigureAwait(false) : null,
            ],
            this,
            other);
    }

    /// <summary>this * p elementwise for a public tensor of the same shape: local product, then truncation; 1 round.</summary>
    /// <param name="value">The public value, the same on every party.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The product.</returns>
    public async ValueTask<EncryptedTensor> MulAsync(Tensor value, CancellationToken cancellationToken = default) =>
        (await RescaleAsync(ArithmeticLinear.MultiplyPublic(Shares, value), cancellationToken).ConfigureAwait(false))
            .Record("mul public", async (g, ct) => [await g.MulAsync(value, ct).ConfigureAwait(false)], this);

    /// <summary>this * c for a public scalar: local product, then truncation; 1 round.</summary>
    /// <param name="value">The public scalar.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The product.</returns>
    public ValueTask<EncryptedTensor> MulAsync(double value, CancellationToken cancellationToken = default) =>
        MulAsync(Filled(value), cancellationToken);

    /// <summary>this * k for a public integer: local, no truncation, 0 rounds.</summary>
    /// <param name="factor">The integer.</param>
    /// <returns>The product.</returns>
    public EncryptedTensor Mul(long factor) =>
        new EncryptedTensor(ArithmeticLinear.MultiplyPublic(Shares, factor)).Record("mul integer", g => [g.Mul(factor)], this);

    /// <summary>
    /// The matrix product of this m x k and <paramref name="other"/> k x n: Beaver matmul (1 round, 8(mk + kn) bytes to
    /// each other party), then truncation of the m x n result (1 round): 2 rounds.
    /// </summary>
    /// <param name="other">An encrypted k x n matrix.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The m x n product.</returns>
    public async ValueTask<EncryptedTensor> MatMulAsync(EncryptedTensor other, CancellationToken cancellationToken = default)
    {
        var (left, right) = (Shares.ShapeArray, Unwrap(other).ShapeArray);
        if (left.Length == 2 && right.Length == 2 && left[1] == right[0])
        {
            await AnnounceProductAsync(TripleRequest.MatMul(left[0], left[1], right[1]), other, left[0] * right[1], cancellationToken)
                .ConfigureAwait(false);
        }

        var product = await Session.MatMulAsync(Shares, Unwrap(other), cancellationToken).ConfigureAwait(false);
        var result = await RescaleAsync(product, cancellationToken).ConfigureAwait(false);
        return result.Record(
            "matmul",
            async (g, ct) =>
            [
                RequiresGrad ? await g.MatMulAsync(other.Transpose(), ct).ConfigureAwait(false) : null,
                other.RequiresGrad ? await Transpose().MatMulAsync(g, ct).ConfigureAwait(false) : null,
            ],
            this,
            other);
    }

    /// <summary>The matrix product of this m x k and a public k x n matrix: local ring GEMM, then truncation; 1 round.</summary>
    /// <param name="value">The public k x n matrix, the same on every party.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The m x n product.</returns>
    /// <exception cref="ArgumentException">The shapes do not chain.</exception>
    public async ValueTask<EncryptedTensor> MatMulAsync(Tensor value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (Rank != 2 || value.Rank != 2 || ShapeArray[1] != value.Shape[0])
        {
            throw new ArgumentException(
                $"MatMul needs m x k and k x n matrices; got [{string.Join(", ", ShapeArray)}] and "
                + $"[{string.Join(", ", value.ShapeToArray())}].",
                nameof(value));
        }

        int m = ShapeArray[0], k = ShapeArray[1], n = value.Shape[1];
        var encoded = Session.Encoder.Encode(value.Contiguous()).Contiguous();
        var product = Tensor.FromArray(Shares.Share, m, k).MatMul(encoded).ToArray<ulong>();
        var shares = new SharedTensor(Session, product, [m, n], FractionalBits + Session.FractionalBits);
        var transposed = value.Transpose(0, 1).Contiguous();
        return (await RescaleAsync(shares, cancellationToken).ConfigureAwait(false))
            .Record("matmul public", async (g, ct) => [await g.MatMulAsync(transposed, ct).ConfigureAwait(false)], this);
    }

    /// <summary>
    /// 2-D convolution of encrypted images [N, C, H, W] with encrypted kernels [O, C, kh, kw] (no bias, no dilation, one
    /// group): one convolution Beaver triple (<see cref="BeaverConvolution"/>: the images and kernels are opened once,
    /// masked) and one truncation: 2 rounds. Traffic to each other party 8(N C H W + O C kh kw) bytes; the dealer request
    /// is <c>TripleRequest.Conv2d</c> then N O outH outW truncation pairs
    /// (<see cref="EncryptedTensorDealing.ServeConv2dAsync"/>).
    /// </summary>
    /// <param name="input">Images [N, C, H, W].</param>
    /// <param name="weight">Kernels [O, C, kh, kw] in the same session.</param>
    /// <param name="stride">The step between windows; positive.</param>
    /// <param name="padding">Zeros added on every side; not negative.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The output [N, O, outH, outW].</returns>
    /// <exception cref="ArgumentException">A rank or channel count does not match, or the kernel is larger than the padded input.</exception>
    public static async ValueTask<EncryptedTensor> Conv2dAsync(
        EncryptedTensor input, EncryptedTensor weight, int stride = 1, int padding = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (PlannedConvolution(input, weight, stride, padding) is { } triple)
        {
            await input.AnnounceProductAsync(triple, weight, triple.CountC, cancellationToken).ConfigureAwait(false);
        }

        var output = await input.Session.Conv2dAsync(input.Shares, weight.Shares, stride, padding, cancellationToken).ConfigureAwait(false);
        var result = await input.RescaleAsync(output, cancellationToken).ConfigureAwait(false);
        return result.Record(
            "conv2d",
            (g, ct) => Conv2dBackwardAsync(input, weight, Materialize(g), stride, padding, ct),
            input,
            weight);
    }

    /// <summary>
    /// Conv2d's gradients through its matmul form Y = W [O, taps] x cols(X) [taps, N P]: with G the upstream gradient as
    /// [O, N P], dW = G cols(X)^T and dX = col2im(W^T G), each one Beaver matmul and one truncation (2 rounds).
    /// </summary>
    private static async ValueTask<EncryptedTensor?[]> Conv2dBackwardAsync(
        EncryptedTensor input, EncryptedTensor weight, EncryptedTensor g, int stride, int padding, CancellationToken cancellationToken)
    {
        var session = input.Session;
        var geometry = Conv2dGeometry.Of(input.ShapeArray, weight.ShapeArray, stride, padding);
        var plane = geometry.OutHeight * geometry.OutWidth;
        var upstream = new SharedTensor(
            session,
            ShareLayout.BatchFirstToChannelsFirst(g.Shares.Share, geometry.OutChannels, geometry.Batch, plane),
            [geometry.OutChannels, geometry.Columns],
            g.FractionalBits);
        EncryptedTensor? inputGrad = null, weightGrad = null;
        if (input.RequiresGrad)
        {
            var kernelT = new SharedTensor(
                session, ShareLayout.Transpose(weight.Shares.Share, [geometry.OutChannels, geometry.Taps], 0, 1),
                [geometry.Taps, geometry.OutChannels], weight.FractionalBits);
            var columns = await session.MatMulAsync(kernelT, upstream, cancellationToken).ConfigureAwait(false);
            var image = ShareLayout.Col2Im(
                columns.Share, geometry.Batch, geometry.Channels, geometry.Height, geometry.Width, geometry.KernelHeight,
                geometry.KernelWidth, stride, padding, geometry.OutHeight, geometry.OutWidth);
            inputGrad = await input.RescaleAsync(
                new SharedTensor(session, image, input.ShapeArray, columns.FractionalBits), cancellationToken).ConfigureAwait(false);
        }

        if (weight.RequiresGrad)
        {
            var unfolded = ShareLayout.Im2Col(
                input.Shares.Share, geometry.Batch, geometry.Channels, geometry.Height, geometry.Width, geometry.KernelHeight,
                geometry.KernelWidth, stride, padding, geometry.OutHeight, geometry.OutWidth);
            var columnsT = new SharedTensor(
                session, ShareLayout.Transpose(unfolded, [geometry.Taps, geometry.Columns], 0, 1),
                [geometry.Columns, geometry.Taps], input.FractionalBits);
            var kernel = await session.MatMulAsync(upstream, columnsT, cancellationToken).ConfigureAwait(false);
            weightGrad = await input.RescaleAsync(
                new SharedTensor(session, kernel.Share, weight.ShapeArray, kernel.FractionalBits), cancellationToken).ConfigureAwait(false);
        }

        return [inputGrad, weightGrad];
    }

    /// <summary>Truncates shares above the session's scale back to it (1 round); returns others as they are (0 rounds).</summary>
    /// <summary>The convolution triple Conv2dAsync will ask for, or null when the shapes are wrong (its own check says how).</summary>
    private static TripleRequest? PlannedConvolution(EncryptedTensor input, EncryptedTensor weight, int stride, int padding)
    {
        var (x, w) = (input.Shares.ShapeArray, weight.Shares.ShapeArray);
        if (x.Length != 4 || w.Length != 4 || x[1] != w[1])
        {
            return null;
        }

        try
        {
            return TripleRequest.Conv2d(x, w, stride, padding);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Tells the dealer ahead about a product's triple and the truncation <see cref="RescaleAsync"/> will ask for.</summary>
    private ValueTask AnnounceProductAsync(TripleRequest triple, EncryptedTensor other, int outputs, CancellationToken cancellationToken)
    {
        var shift = Shares.FractionalBits + Unwrap(other).FractionalBits - Session.FractionalBits;
        return Session.Provider.AnnounceAheadAsync(
            async d =>
            {
                await d.ServeTripleAsync(triple, cancellationToken).ConfigureAwait(false);
                if (shift > 0)
                {
                    await d.ServeTruncationPairAsync(outputs, shift, cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken);
    }

    // Every caller passes a product it has just made and keeps nowhere else, so once truncated its shares are recycled.
    private async ValueTask<EncryptedTensor> RescaleAsync(SharedTensor product, CancellationToken cancellationToken)
    {
        if (product.FractionalBits <= Session.FractionalBits)
        {
            return new EncryptedTensor(product);
        }

        var truncated = await Session.RescaleAsync(product, cancellationToken).ConfigureAwait(false);
        RecycledArrays<ulong>.Return(product.Share);
        return new EncryptedTensor(truncated);
    }
}
