namespace Tessera.NN;

/// <summary>Negative log-likelihood of Int64 class targets [N] given log-probabilities [N, C].</summary>
/// <param name="reduction">How per-sample values are combined.</param>
public sealed class NllLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Reduce(PerSample(input, target, nameof(NllLoss)));

    /// <summary>-input[i, target[i]] for each sample, after checking shapes and class range.</summary>
    internal static Tensor PerSample(Tensor input, Tensor target, string loss)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        input.RequireFloat(loss);
        if (input.Rank != 2 || target.Rank != 1 || target.DType != DType.Int64 || target.Size(0) != input.Size(0))
        {
            throw new ArgumentException(
                $"{loss} expects input [N, C] and Int64 target [N]; got input {input.DType} {ShapeHelpers.Format(input.Shape)} "
                + $"and target {target.DType} {ShapeHelpers.Format(target.Shape)}.");
        }

        var classes = input.Size(1);
        foreach (var t in target.Contiguous().AsSpan<long>())
        {
            if (t < 0 || t >= classes)
            {
                throw new ArgumentException($"{loss}: target class {t} is outside 0..{classes - 1}.", nameof(target));
            }
        }

        return input.Gather(1, target.Unsqueeze(1)).Squeeze(1).Neg();
    }
}
