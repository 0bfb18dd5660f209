namespace Tessera.Mpc.Nn;

/// <summary>
/// Encrypted <see cref="Tessera.NN.Linear"/>: y = x W^T + b with shared W [out, in] and b [out]; one Beaver matmul and one
/// truncation (2 rounds), the bias added locally.
/// </summary>
public sealed class EncryptedLinear : EncryptedModule
{
    internal EncryptedLinear(EncryptedTensor weight, EncryptedTensor? bias)
    {
        Weight = weight;
        Bias = bias;
    }

    /// <summary>The encrypted weight, [out, in].</summary>
    public EncryptedTensor Weight { get; }

    /// <summary>The encrypted bias, [out], or null (with a folded batch norm it is always present).</summary>
    public EncryptedTensor? Bias { get; }

    /// <summary>Input features.</summary>
    public int InFeatures => Weight.Shape[1];

    /// <summary>Output features.</summary>
    public int OutFeatures => Weight.Shape[0];

    /// <inheritdoc/>
    public override string Name => $"Linear({InFeatures}, {OutFeatures})";

    /// <inheritdoc/>
    public override async ValueTask<EncryptedTensor> ForwardAsync(EncryptedTensor input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Shape[^1] != InFeatures)
        {
            throw new ArgumentException($"{Name} expects [..., {InFeatures}], got {Format(input.Shape)}.", nameof(input));
        }

        var outShape = input.Shape.Take(input.Rank - 1).Append(OutFeatures).ToArray();
        var y = await input.Reshape(-1, InFeatures).MatMulAsync(Weight.Transpose(), cancellationToken).ConfigureAwait(false);
        if (Bias is not null)
        {
            y = y.Add(Bias.Reshape(1, OutFeatures).Expand([.. y.Shape]));
        }

        return y.Reshape(outShape);
    }

    /// <inheritdoc/>
    public override IEnumerable<(string Name, EncryptedTensor Parameter)> NamedParameters() =>
        Bias is null ? [("weight", Weight)] : [("weight", Weight), ("bias", Bias)];
}
