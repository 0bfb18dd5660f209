namespace Tessera.Optim;

/// <summary>Adam with decoupled weight decay (Loshchilov and Hutter 2019): p *= 1 - lr wd before the Adam step.</summary>
/// <param name="parameters">The parameters.</param>
/// <param name="learningRate">The learning rate.</param>
/// <param name="beta1">First-moment decay.</param>
/// <param name="beta2">Second-moment decay.</param>
/// <param name="eps">Added to the denominator.</param>
/// <param name="weightDecay">Decoupled weight decay; PyTorch's default 0.01.</param>
public sealed class AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
    double eps = 1e-8, double weightDecay = 0.01)
    : Adam(parameters, learningRate, beta1, beta2, eps, weightDecay)
{
    /// <inheritdoc/>
    protected override bool DecoupledWeightDecay => true;
}
