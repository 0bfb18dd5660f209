using System.Numerics;
using System.Numerics.Tensors;

namespace Tessera.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, as PyTorch's SGD:
/// g += wd p; b = mu b + g; g = nesterov ? g + mu b : b; p -= lr g.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Array?[] _momentum;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="learningRate">The learning rate.</param>
    /// <param name="momentum">Momentum in [0, 1).</param>
    /// <param name="weightDecay">L2 penalty; non-negative.</param>
    /// <param name="nesterov">Whether to use Nesterov momentum (needs momentum &gt; 0).</param>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, learningRate)
    {
        Momentum = CheckUnitInterval(momentum, nameof(momentum));
        WeightDecay = CheckNonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0)
        {
            throw new ArgumentException("Nesterov momentum needs a momentum above zero.", nameof(nesterov));
        }

        Nesterov = nesterov;
        _momentum = new Array?[Parameters.Count];
    }

    /// <summary>Momentum.</summary>
    public double Momentum { get; }

    /// <summary>L2 penalty.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient) => UpdateTyped(index, parameter, gradient);

    /// <inheritdoc/>
    protected override void Update(int index, Span<double> parameter, ReadOnlySpan<double> gradient) => UpdateTyped(index, parameter, gradient);

    private void UpdateTyped<T>(int index, Span<T> parameter, ReadOnlySpan<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lr = T.CreateTruncating(LearningRate);
        Span<T> g = gradient.ToArray();
        if (WeightDecay != 0)
        {
            TensorPrimitives.MultiplyAdd(parameter, T.CreateTruncating(WeightDecay), g, g);
        }

        if (Momentum != 0)
        {
            var mu = T.CreateTruncating(Momentum);
            if (_momentum[index] is not T[] buffer)
            {
                buffer = g.ToArray();
                _momentum[index] = buffer;
            }
            else
            {
                TensorPrimitives.MultiplyAdd(buffer, mu, g, buffer);
            }

            if (Nesterov)
            {
                TensorPrimitives.MultiplyAdd(buffer, mu, g, g);
            }
            else
            {
                buffer.CopyTo(g);
            }
        }

        TensorPrimitives.MultiplyAdd(g, -lr, parameter, parameter);
    }
}
