namespace Tessera.Mpc.Nn;

/// <summary>
/// Encrypted <see cref="Tessera.NN.Conv2d"/> (one group, no dilation, the same stride and padding in both directions):
/// <see cref="EncryptedTensor.Conv2dAsync"/> (2 rounds) with shared kernels [O, C, kh, kw], the bias added locally.
/// </summary>
public sealed class EncryptedConv2d : EncryptedModule
{
    internal EncryptedConv2d(EncryptedTensor weight, EncryptedTensor? bias, int stride, int padding)
    {
        Weight = weight;
        Bias = bias;
        Stride = stride;
        Padding = padding;
    }

    /// <summary>The encrypted kernels, [O, C, kh, kw].</summary>
    public EncryptedTensor Weight { get; }

    /// <summary>The encrypted bias, [O], or null (with a folded batch norm it is always present).</summary>
    public EncryptedTensor? Bias { get; }

    /// <summary>The step between windows.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on every side.</summary>
    public int Padding { get; }

    /// <inheritdoc/>
    public override string Name =>
        $"Conv2d({Weight.Shape[1]}, {Weight.Shape[0]}, ({Weight.Shape[2]}, {Weight.Shape[3]}), stride {Stride}, padding {Padding})";

    /// <inheritdoc/>
    public override async ValueTask<EncryptedTensor> ForwardAsync(EncryptedTensor input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != Weight.Shape[1]
            || input.Shape[2] + (2 * Padding) < Weight.Shape[2] || input.Shape[3] + (2 * Padding) < Weight.Shape[3])
        {
            throw new ArgumentException(
                $"{Name} expects [N, {Weight.Shape[1]}, H, W] with H + 2p >= {Weight.Shape[2]} and W + 2p >= {Weight.Shape[3]}, "
                + $"got {Format(input.Shape)}.",
                nameof(input));
        }

        var y = await EncryptedTensor.Conv2dAsync(input, Weight, Stride, Padding, cancellationToken).ConfigureAwait(false);
        return Bias is null ? y : y.Add(Bias.Reshape(1, Bias.Count, 1, 1).Expand([.. y.Shape]));
    }

    /// <inheritdoc/>
    public override IEnumerable<(string Name, EncryptedTensor Parameter)> NamedParameters() =>
        Bias is null ? [("weight", Weight)] : [("weight", Weight), ("bias", Bias)];
}
