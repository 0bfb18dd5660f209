namespace Tessera.NN;

/// <summary>Binary cross-entropy of probabilities: -(t log p + (1 - t) log(1 - p)), logs clamped at -100 as PyTorch does.</summary>
/// <param name="reduction">How per-element values are combined.</param>
public sealed class BceLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        CheckSameShape(input, target);
        using (Autograd.NoGrad())
        {
            var p = input.To(DType.Float64).ToArray<double>();
            if (p.Any(v => !(v >= 0 && v <= 1)))
            {
                throw new ArgumentException("BceLoss: every input must be a probability in [0, 1]; apply Sigmoid or use BceWithLogitsLoss.", nameof(input));
            }
        }

        var logP = input.Log().Clamp(-100, 0);
        var log1mP = input.Neg().Add(1).Log().Clamp(-100, 0);
        return Reduce(target.Mul(logP).Add(target.Neg().Add(1).Mul(log1mP)).Neg());
    }
}
