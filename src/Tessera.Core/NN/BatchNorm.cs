using System.Text.Json.Nodes;

namespace Tessera.NN;

/// <summary>
/// Batch normalisation over the channel dimension (dim 1): batch statistics in training (updating running estimates
/// with momentum), running estimates in evaluation. Shared by <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/>.
/// </summary>
public abstract class BatchNorm : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="numFeatures">Channels; positive.</param>
    /// <param name="eps">Added to the variance; positive.</param>
    /// <param name="momentum">Running-estimate momentum in [0, 1].</param>
    /// <param name="affine">Whether to learn a scale and shift.</param>
    protected BatchNorm(int numFeatures, double eps, double momentum, bool affine)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eps);
        if (!(momentum >= 0 && momentum <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1].");
        }

        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones([numFeatures]));
            Bias = RegisterParameter("bias", Tensor.Zeros([numFeatures]));
        }

        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([numFeatures]));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones([numFeatures]));
    }

    /// <summary>Channels.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance.</summary>
    public double Eps { get; }

    /// <summary>Running-estimate momentum.</summary>
    public double Momentum { get; }

    /// <summary>The scale, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>The shift, or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>The running mean.</summary>
    public Tensor RunningMean { get; }

    /// <summary>The running (unbiased) variance.</summary>
    public Tensor RunningVar { get; }

    /// <summary>The ranks this layer accepts.</summary>
    protected abstract int[] AcceptedRanks { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!AcceptedRanks.Contains(input.Rank) || input.Size(1) != NumFeatures)
        {
            throw new ArgumentException(
                $"{GetType().Name}({NumFeatures}) expects rank {string.Join(" or ", AcceptedRanks)} with {NumFeatures} channels in dim 1, "
                + $"got {ShapeHelpers.Format(input.Shape)}.", nameof(input));
        }

        var dims = Enumerable.Range(0, input.Rank).Where(d => d != 1).ToArray();
        var shape = Enumerable.Range(0, input.Rank).Select(d => d == 1 ? NumFeatures : 1).ToArray();
        Tensor mean;
        Tensor variance;
        if (IsTraining)
        {
            var n = input.Count / NumFeatures;
            if (n <= 1)
            {
                throw new ArgumentException($"{GetType().Name} in training needs more than one value per channel, got {ShapeHelpers.Format(input.Shape)}.", nameof(input));
            }

            mean = input.Mean(dims, keepDim: true);
            var centered = input.Sub(mean);
            variance = centered.Mul(centered).Mean(dims, keepDim: true);
            using (Autograd.NoGrad())
            {
                var unbiased = variance.Detach().Reshape(NumFeatures).Mul((double)n / (n - 1)).To(RunningVar.DType);
                RunningMean.CopyFrom(RunningMean.Mul(1 - Momentum).Add(mean.Detach().Reshape(NumFeatures).To(RunningMean.DType).Mul(Momentum)));
                RunningVar.CopyFrom(RunningVar.Mul(1 - Momentum).Add(unbiased.Mul(Momentum)));
            }
        }
        else
        {
            mean = RunningMean.To(input.DType).Reshape(shape);
            variance = RunningVar.To(input.DType).Reshape(shape);
        }

        var y = input.Sub(mean).Div(variance.Add(Eps).Sqrt());
        if (Weight is not null && Bias is not null)
        {
            y = y.Mul(Weight.Reshape(shape)).Add(Bias.Reshape(shape));
        }

        return y;
    }

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new(GetType().Name, new JsonObject
    {
        ["numFeatures"] = NumFeatures,
        ["eps"] = Eps,
        ["momentum"] = Momentum,
        ["affine"] = Weight is not null,
    });
}
