namespace Tessera.NN;

/// <summary>Mean squared error: (input - target)^2.</summary>
/// <param name="reduction">How per-element values are combined.</param>
public sealed class MseLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        CheckSameShape(input, target);
        var d = input.Sub(target);
        return Reduce(d.Mul(d));
    }
}
