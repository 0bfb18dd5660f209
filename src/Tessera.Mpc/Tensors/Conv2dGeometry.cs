namespace Tessera.Mpc.Tensors;

/// <summary>The public shapes of a 2-D convolution [N, C, H, W] * [O, C, kh, kw] with square stride and padding.</summary>
internal readonly record struct Conv2dGeometry(
    int Batch, int Channels, int Height, int Width, int OutChannels, int KernelHeight, int KernelWidth, int OutHeight, int OutWidth)
{
    /// <summary>Rows of the unfolded input: C kh kw.</summary>
    public int Taps => Channels * KernelHeight * KernelWidth;

    /// <summary>Columns of the unfolded input: N outH outW.</summary>
    public int Columns => Batch * OutHeight * OutWidth;

    public static Conv2dGeometry Of(IReadOnlyList<int> input, IReadOnlyList<int> weight, int stride, int padding)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (input.Count != 4 || weight.Count != 4 || input[1] != weight[1])
        {
            throw new ArgumentException(
                $"Conv2d needs input [N, C, H, W] and weight [O, C, kh, kw]; got [{string.Join(", ", input)}] and "
                + $"[{string.Join(", ", weight)}].",
                nameof(weight));
        }

        int paddedHeight = input[2] + (2 * padding), paddedWidth = input[3] + (2 * padding);
        if (weight[2] > paddedHeight || weight[3] > paddedWidth)
        {
            throw new ArgumentException(
                $"Kernel {weight[2]} x {weight[3]} is larger than the padded input {paddedHeight} x {paddedWidth}.", nameof(weight));
        }

        return new Conv2dGeometry(
            input[0], input[1], input[2], input[3], weight[0], weight[2], weight[3],
            ((paddedHeight - weight[2]) / stride) + 1, ((paddedWidth - weight[3]) / stride) + 1);
    }
}
