using Tessera.Mpc.Protocols;

namespace Tessera.Mpc.Nn;

/// <summary>
/// Encrypted <see cref="Tessera.NN.BatchNorm1d"/>/<see cref="Tessera.NN.BatchNorm2d"/> kept as its own layer (not folded),
/// so that it can train: in training mode it normalises with the batch's per-channel mean and (biased) variance, records
/// the tape through them, and moves the encrypted running estimates by the momentum (with the unbiased variance, as
/// Tessera.Core and PyTorch do); in eval mode it uses the running estimates. The learned scale and shift are parameters,
/// the running estimates are buffers (<see cref="NamedBuffers"/>).
/// </summary>
/// <remarks>
/// <para>Per forward: local sums over every dimension but 1; the mean and variance by a public scale (1 round each); the
/// centred square (1 product, 1 truncation); 1 / sqrt(var + eps) on C values only (<see cref="InverseSqrtOptions"/>,
/// 6 Newton steps by default: relative error about 5e-4 for var + eps in [0.1, 100], the range the approximation
/// covers, as CrypTen's); its product with the scale on C values; then one product of the full input (2 rounds) and the
/// shift (local). In training the running estimates take 2 more public scales of C values each.</para>
/// <para>Differences from Tessera.Core's layer are the fixed-point ones only: values at the session's fractional bits,
/// truncation errors of one unit in the last place per product, and the inverse square root's approximation error.</para>
/// </remarks>
public sealed class EncryptedBatchNorm : EncryptedModule
{
    private readonly string _type;
    private readonly int[] _ranks;
    private readonly Func<bool> _training;
    private readonly InverseSqrtOptions _inverseSqrt;

    internal EncryptedBatchNorm(
        string type, int[] ranks, int features, double eps, double momentum, EncryptedTensor? weight, EncryptedTensor? bias,
        EncryptedTensor runningMean, EncryptedTensor runningVar, Func<bool> training, InverseSqrtOptions inverseSqrt)
    {
        _type = type;
        _ranks = ranks;
        _training = training;
        _inverseSqrt = inverseSqrt;
        NumFeatures = features;
        Eps = eps;
        Momentum = momentum;
        Weight = weight;
        Bias = bias;
        RunningMean = runningMean;
        RunningVar = runningVar;
    }

    /// <inheritdoc/>
    public override string Name => $"{_type}({NumFeatures})";

    /// <summary>Channels (dimension 1).</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance.</summary>
    public double Eps { get; }

    /// <summary>The running estimates' momentum.</summary>
    public double Momentum { get; }

    /// <summary>The encrypted scale (gamma), [C], or null without affine.</summary>
    public EncryptedTensor? Weight { get; }

    /// <summary>The encrypted shift (beta), [C], or null without affine.</summary>
    public EncryptedTensor? Bias { get; }

    /// <summary>The encrypted running mean, [C]; replaced by every training forward.</summary>
    public EncryptedTensor RunningMean { get; private set; }

    /// <summary>The encrypted running (unbiased) variance, [C]; replaced by every training forward.</summary>
    public EncryptedTensor RunningVar { get; private set; }

    /// <inheritdoc/>
    public override async ValueTask<EncryptedTensor> ForwardAsync(EncryptedTensor input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!_ranks.Contains(input.Rank) || input.Shape[1] != NumFeatures)
        {
            throw new ArgumentException(
                $"{Name} expects rank {string.Join(" or ", _ranks)} with {NumFeatures} channels in dimension 1, got {Format(input.Shape)}.",
                nameof(input));
        }

        var shape = input.Shape.ToArray();
        var perChannel = Enumerable.Range(0, input.Rank).Select(d => d == 1 ? NumFeatures : 1).ToArray();
        EncryptedTensor mean;
        EncryptedTensor variance;
        EncryptedTensor centered;
        if (_training())
        {
            var count = input.Count / NumFeatures;
            if (count <= 1)
            {
                throw new ArgumentException($"{Name} in training needs more than one value per channel, got {Format(input.Shape)}.", nameof(input));
            }

            mean = await SumPerChannel(input).ScaleAsync(1.0 / count, cancellationToken).ConfigureAwait(false);
            centered = input.Sub(mean.Expand(shape));
            var squared = await centered.MulAsync(centered, cancellationToken).ConfigureAwait(false);
            variance = await SumPerChannel(squared).ScaleAsync(1.0 / count, cancellationToken).ConfigureAwait(false);
            await UpdateRunningAsync(mean.Detach(), variance.Detach(), count, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            mean = RunningMean.Reshape(perChannel);
            variance = RunningVar.Reshape(perChannel);
            centered = input.Sub(mean.Expand(shape));
        }

        // The per-channel factor gamma / sqrt(var + eps) is formed on C values; the input is multiplied once.
        var factor = await variance.Add(Eps).InverseSqrtAsync(_inverseSqrt, cancellationToken).ConfigureAwait(false);
        if (Weight is not null)
        {
            factor = await factor.MulAsync(Weight.Reshape(perChannel), cancellationToken).ConfigureAwait(false);
        }

        var y = await centered.MulAsync(factor.Expand(shape), cancellationToken).ConfigureAwait(false);
        return Bias is null ? y : y.Add(Bias.Reshape(perChannel).Expand(shape));
    }

    /// <inheritdoc/>
    public override IEnumerable<(string Name, EncryptedTensor Parameter)> NamedParameters() =>
        Weight is null || Bias is null ? [] : [("weight", Weight), ("bias", Bias)];

    /// <inheritdoc/>
    public override IEnumerable<(string Name, EncryptedTensor Buffer)> NamedBuffers() =>
        [("running_mean", RunningMean), ("running_var", RunningVar)];

    private static EncryptedTensor SumPerChannel(EncryptedTensor x)
    {
        for (var d = x.Rank - 1; d >= 0; d--)
        {
            if (d != 1)
            {
                x = x.Sum(d, keepDim: true);
            }
        }

        return x;
    }

    private async ValueTask UpdateRunningAsync(EncryptedTensor mean, EncryptedTensor variance, int count, CancellationToken cancellationToken)
    {
        // running <- (1 - m) running + m batch, with the batch variance made unbiased (count / (count - 1)); nothing here
        // is recorded (the estimates are not trained).
        (RunningMean, RunningVar) = await EncryptedTensor.WithoutRecordingAsync(async () =>
        {
            var keptMean = await RunningMean.ScaleAsync(1 - Momentum, cancellationToken).ConfigureAwait(false);
            var newMean = await mean.Reshape(NumFeatures).ScaleAsync(Momentum, cancellationToken).ConfigureAwait(false);
            var keptVar = await RunningVar.ScaleAsync(1 - Momentum, cancellationToken).ConfigureAwait(false);
            var newVar = await variance.Reshape(NumFeatures).ScaleAsync(Momentum * count / (count - 1), cancellationToken).ConfigureAwait(false);
            return (keptMean.Add(newMean), keptVar.Add(newVar));
        }).ConfigureAwait(false);
    }
}
