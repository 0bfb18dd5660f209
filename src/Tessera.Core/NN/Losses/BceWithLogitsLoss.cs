namespace Tessera.NN;

/// <summary>Binary cross-entropy on logits, computed stably: max(x, 0) - x t + log(1 + e^-|x|).</summary>
/// <param name="reduction">How per-element values are combined.</param>
public sealed class BceWithLogitsLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        CheckSameShape(input, target);
        var softplus = input.Abs().Neg().Exp().Add(1).Log();
        return Reduce(input.Relu().Sub(input.Mul(target)).Add(softplus));
    }
}
