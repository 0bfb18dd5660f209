namespace Tessera.NN;

/// <summary>Cross-entropy of Int64 class targets [N] given unnormalised logits [N, C]: log-softmax then NLL.</summary>
/// <param name="reduction">How per-sample values are combined.</param>
public sealed class CrossEntropyLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireFloat(nameof(CrossEntropyLoss));
        if (input.Rank != 2)
        {
            throw new ArgumentException($"CrossEntropyLoss expects logits [N, C], got {ShapeHelpers.Format(input.Shape)}.", nameof(input));
        }

        return Reduce(NllLoss.PerSample(input.LogSoftmax(1), target, nameof(CrossEntropyLoss)));
    }
}
