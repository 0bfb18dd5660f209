using Tessera.Optim;

namespace Tessera.Privacy.Training;

/// <summary>
/// The DP-SGD update (Abadi et al. 2016): clip each sample's gradient to norm <see cref="MaxGradNorm"/> (flat, over all
/// trainable parameters), sum, add Gaussian noise N(0, sigma^2 C^2) to every coordinate, divide by the expected batch
/// size, and hand the result to an ordinary optimizer (SGD, Adam).
/// </summary>
/// <remarks>
/// Dividing by the expected batch size q * |D| rather than the drawn one keeps the sensitivity of the average fixed
/// under Poisson sampling (Opacus' convention). An empty batch still takes a step of pure noise, as the privacy analysis
/// of Poisson sampling assumes. Noise comes from <see cref="CryptoRandomSource"/> unless a source is given (tests); see
/// the remarks of the noise method in the docs of this library. Not thread-safe.
/// </remarks>
public sealed class DpSgd
{
    private readonly GradSampleModule _module;
    private readonly IRandomSource _noiseSource;

    /// <summary>Creates the update rule.</summary>
    /// <param name="module">The wrapped model whose per-sample gradients are clipped.</param>
    /// <param name="optimizer">The optimizer over exactly the module's trainable parameters.</param>
    /// <param name="noiseMultiplier">sigma: the noise standard deviation as a multiple of the clipping norm; not negative.</param>
    /// <param name="maxGradNorm">C: the per-sample clipping norm; positive.</param>
    /// <param name="expectedBatchSize">q times the data set size; positive.</param>
    /// <param name="noiseSource">The noise's randomness; <see cref="CryptoRandomSource.Instance"/> when null.</param>
    /// <exception cref="ArgumentNullException">The module or optimizer is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range or not finite.</exception>
    /// <exception cref="ArgumentException">The optimizer's parameters are not the module's trainable parameters.</exception>
    public DpSgd(GradSampleModule module, Optimizer optimizer, double noiseMultiplier, double maxGradNorm, double expectedBatchSize,
        IRandomSource? noiseSource = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!(noiseMultiplier >= 0 && double.IsFinite(noiseMultiplier)))
        {
            throw new ArgumentOutOfRangeException(nameof(noiseMultiplier), noiseMultiplier, "The noise multiplier must be finite and not negative.");
        }

        if (!(maxGradNorm > 0 && double.IsFinite(maxGradNorm)))
        {
            throw new ArgumentOutOfRangeException(nameof(maxGradNorm), maxGradNorm, "The clipping norm must be positive and finite.");
        }

        if (!(expectedBatchSize > 0 && double.IsFinite(expectedBatchSize)))
        {
            throw new ArgumentOutOfRangeException(nameof(expectedBatchSize), expectedBatchSize, "The expected batch size must be positive and finite.");
        }

        var own = new HashSet<Tensor>(module.Parameters, ReferenceEqualityComparer.Instance);
        var optimized = new HashSet<Tensor>(optimizer.Parameters, ReferenceEqualityComparer.Instance);
        if (!own.SetEquals(optimized))
        {
            throw new ArgumentException(
                $"The optimizer must update exactly the model's {own.Count} trainable parameter tensors; it has {optimized.Count}, "
                + $"{optimized.Count(p => !own.Contains(p))} of them not trainable per sample.", nameof(optimizer));
        }

        _module = module;
        Optimizer = optimizer;
        NoiseMultiplier = noiseMultiplier;
        MaxGradNorm = maxGradNorm;
        ExpectedBatchSize = expectedBatchSize;
        _noiseSource = noiseSource ?? CryptoRandomSource.Instance;
    }

    /// <summary>The optimizer that applies the noisy average.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>sigma: the noise standard deviation as a multiple of <see cref="MaxGradNorm"/>.</summary>
    public double NoiseMultiplier { get; }

    /// <summary>C: the bound on each sample's gradient norm.</summary>
    public double MaxGradNorm { get; }

    /// <summary>The divisor of the noisy sum: the expected batch size under Poisson sampling.</summary>
    public double ExpectedBatchSize { get; }

    /// <summary>The fraction of samples of the last step whose gradient was clipped (NaN after an empty batch).</summary>
    public double LastClippedFraction { get; private set; } = double.NaN;

    /// <summary>After <c>loss.Backward()</c> on the batch of the module's last forward pass: clips, sums, adds noise, averages and steps.</summary>
    public void Step()
    {
        var norms = _module.PerSampleNorms();
        var scale = new double[norms.Length];
        var clipped = 0;
        for (var i = 0; i < norms.Length; i++)
        {
            // Opacus' factor: min(1, C / (norm + 1e-6)); the result's norm is below C in exact arithmetic.
            scale[i] = Math.Min(1.0, MaxGradNorm / (norms[i] + 1e-6));
            clipped += scale[i] < 1.0 ? 1 : 0;
        }

        LastClippedFraction = norms.Length == 0 ? double.NaN : (double)clipped / norms.Length;
        _module.WriteScaledSum(scale);
        NoiseAverageAndStep();
    }

    /// <summary>The step for an empty Poisson batch: the gradient is noise alone, averaged and applied.</summary>
    public void StepEmptyBatch()
    {
        LastClippedFraction = double.NaN;
        foreach (var p in _module.Parameters)
        {
            p.Grad = Tensor.Zeros(p.Shape, p.DType);
        }

        NoiseAverageAndStep();
    }

    private void NoiseAverageAndStep()
    {
        var std = NoiseMultiplier * MaxGradNorm;
        foreach (var p in _module.Parameters)
        {
            var grad = p.Grad!.Contiguous();
            if (grad.DType == DType.Float32)
            {
                var span = grad.AsSpan<float>();
                GaussianNoise.Add(span, std, _noiseSource);
                System.Numerics.Tensors.TensorPrimitives.Multiply(span, (float)(1.0 / ExpectedBatchSize), span);
            }
            else
            {
                var span = grad.AsSpan<double>();
                GaussianNoise.Add(span, std, _noiseSource);
                System.Numerics.Tensors.TensorPrimitives.Multiply(span, 1.0 / ExpectedBatchSize, span);
            }

            p.Grad = grad;
        }

        Optimizer.Step();
    }
}
