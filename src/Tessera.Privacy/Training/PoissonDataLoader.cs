using System.Buffers.Binary;
using System.Collections;
using Tessera.Data;

namespace Tessera.Privacy.Training;

/// <summary>
/// Poisson sampling for DP-SGD: at every step each example joins the batch independently with probability
/// <see cref="SampleRate"/>, so batch sizes vary (and may be zero); an epoch is <see cref="StepsPerEpoch"/> = round(1/q) steps.
/// </summary>
/// <remarks>
/// This is the sampling that the subsampled-Gaussian privacy analysis assumes; shuffling into fixed batches is not.
/// Each inclusion compares 64 random bits with floor(q * 2^64), so the realised rate never exceeds q. Empty batches
/// are yielded as tensors with a first dimension of zero; the trainer must still take a (noise-only) step for them.
/// The bits come from <see cref="CryptoRandomSource"/> unless a source is given.
/// </remarks>
public sealed class PoissonDataLoader : IEnumerable<(Tensor Inputs, Tensor Targets)>
{
    private readonly Dataset _dataset;
    private readonly IRandomSource _random;
    private readonly ulong _threshold;

    /// <summary>Creates the loader.</summary>
    /// <param name="dataset">The examples; at least one.</param>
    /// <param name="sampleRate">q, the probability that an example is in a given batch; in (0, 1].</param>
    /// <param name="random">The sampling randomness; <see cref="CryptoRandomSource.Instance"/> when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    /// <exception cref="ArgumentException">The data set is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleRate"/> is not in (0, 1].</exception>
    public PoissonDataLoader(Dataset dataset, double sampleRate, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!(sampleRate > 0 && sampleRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sample rate must be in (0, 1].");
        }

        if (dataset.Count == 0)
        {
            throw new ArgumentException("Poisson sampling needs a non-empty data set.", nameof(dataset));
        }

        _dataset = dataset;
        _random = random ?? CryptoRandomSource.Instance;
        SampleRate = sampleRate;
        _threshold = sampleRate >= 1 ? ulong.MaxValue : (ulong)(sampleRate * 18446744073709551616.0);
        StepsPerEpoch = Math.Max(1, (int)Math.Round(1 / sampleRate));
    }

    /// <summary>q: the probability that an example is in a given batch.</summary>
    public double SampleRate { get; }

    /// <summary>Batches per epoch: round(1 / q).</summary>
    public int StepsPerEpoch { get; }

    /// <summary>The expected batch size, q times the number of examples.</summary>
    public double ExpectedBatchSize => SampleRate * _dataset.Count;

    /// <summary>Draws the example indices of one batch.</summary>
    /// <returns>The chosen indices, ascending.</returns>
    public int[] SampleIndices()
    {
        var count = _dataset.Count;
        var chosen = new List<int>((int)Math.Min(count, (ExpectedBatchSize * 1.2) + 16));
        var bits = new byte[8 * Math.Min(count, 4096)];
        for (var start = 0; start < count; start += bits.Length / 8)
        {
            var n = Math.Min(bits.Length / 8, count - start);
            _random.NextBytes(bits.AsSpan(0, 8 * n));
            for (var i = 0; i < n; i++)
            {
                var r = BinaryPrimitives.ReadUInt64LittleEndian(bits.AsSpan(8 * i));
                if (r < _threshold || _threshold == ulong.MaxValue)
                {
                    chosen.Add(start + i);
                }
            }
        }

        return [.. chosen];
    }

    /// <summary>One epoch: <see cref="StepsPerEpoch"/> independently drawn batches, possibly empty.</summary>
    /// <returns>The batches.</returns>
    public IEnumerator<(Tensor Inputs, Tensor Targets)> GetEnumerator()
    {
        for (var step = 0; step < StepsPerEpoch; step++)
        {
            var indices = SampleIndices();
            yield return indices.Length == 0 ? EmptyBatch() : _dataset.GetBatch(indices);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private (Tensor Inputs, Tensor Targets) EmptyBatch()
    {
        var (input, target) = _dataset[0];
        return (Tensor.Zeros([0, .. input.ShapeToArray()], input.DType), Tensor.Zeros([0, .. target.ShapeToArray()], target.DType));
    }
}
