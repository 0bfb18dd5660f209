namespace Tessera.Optim;

/// <summary>Updates parameters from their gradients. Parameters without a gradient are skipped.</summary>
public abstract class Optimizer
{
    private double _learningRate;

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">Floating-point leaf tensors that require gradients.</param>
    /// <param name="learningRate">The learning rate; positive and finite.</param>
    /// <exception cref="ArgumentException">No parameters, or one is not a floating-point leaf that requires gradients.</exception>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
        if (Parameters.Count == 0)
        {
            throw new ArgumentException("The optimizer needs at least one parameter.", nameof(parameters));
        }

        foreach (var p in Parameters)
        {
            if (!p.RequiresGrad || !p.IsLeaf || !p.IsContiguous)
            {
                throw new ArgumentException($"Every parameter must be a contiguous leaf that requires gradients; {p} is not.", nameof(parameters));
            }
        }

        LearningRate = learningRate;
        InitialLearningRate = learningRate;
    }

    /// <summary>The parameters being optimised.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The learning rate used by the next step (schedulers change it).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive and finite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value > 0 && double.IsFinite(value)))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be positive and finite.");
            }

            _learningRate = value;
        }
    }

    /// <summary>The learning rate the optimizer was created with.</summary>
    public double InitialLearningRate { get; }

    /// <summary>The number of steps taken.</summary>
    public long StepCount { get; private set; }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        StepCount++;
        for (var i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.Grad is null)
            {
                continue;
            }

            var g = p.Grad.To(p.DType).Contiguous();
            if (p.DType == DType.Float32)
            {
                Update(i, p.AsSpan<float>(), g.AsSpan<float>());
            }
            else
            {
                Update(i, p.AsSpan<double>(), g.AsSpan<double>());
            }
        }
    }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters)
        {
            p.Grad = null;
        }
    }

    /// <summary>Updates parameter <paramref name="index"/> in place.</summary>
    /// <param name="index">The parameter's position, for per-parameter state.</param>
    /// <param name="parameter">Its values.</param>
    /// <param name="gradient">Its gradient.</param>
    protected abstract void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient);

    /// <summary>Updates parameter <paramref name="index"/> in place.</summary>
    /// <param name="index">The parameter's position, for per-parameter state.</param>
    /// <param name="parameter">Its values.</param>
    /// <param name="gradient">Its gradient.</param>
    protected abstract void Update(int index, Span<double> parameter, ReadOnlySpan<double> gradient);

    /// <summary>Checks a coefficient in [0, 1).</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter name.</param>
    protected static double CheckUnitInterval(double value, string name) => value >= 0 && value < 1 ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");

    /// <summary>Checks a non-negative finite coefficient.</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter name.</param>
    protected static double CheckNonNegative(double value, string name) => value >= 0 && double.IsFinite(value) ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative and finite.");
}
