namespace Tessera.NN;

/// <summary>Mean absolute error: |input - target|.</summary>
/// <param name="reduction">How per-element values are combined.</param>
public sealed class L1Loss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        CheckSameShape(input, target);
        return Reduce(input.Sub(target).Abs());
    }
}
