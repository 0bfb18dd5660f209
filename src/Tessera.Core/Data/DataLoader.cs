using System.Collections;

namespace Tessera.Data;

/// <summary>Iterates a <see cref="Dataset"/> in mini-batches of contiguous (inputs, targets) tensors.</summary>
/// <remarks>
/// Each enumeration is one epoch. With shuffling, every epoch draws a fresh permutation from the injected
/// <see cref="IRandomSource"/>, so a seeded source gives a reproducible sequence of epochs. Not thread-safe: enumerate
/// from one thread at a time (the random source is shared between epochs).
/// </remarks>
public sealed class DataLoader : IEnumerable<(Tensor Inputs, Tensor Targets)>
{
    private readonly Dataset _dataset;
    private readonly IRandomSource? _random;

    /// <summary>Creates a loader.</summary>
    /// <param name="dataset">The examples.</param>
    /// <param name="batchSize">The examples per batch; positive.</param>
    /// <param name="shuffle">Whether to visit the examples in a new random order each epoch.</param>
    /// <param name="random">The randomness for shuffling; required when <paramref name="shuffle"/> is true.</param>
    /// <param name="dropLast">Whether to skip a last batch smaller than <paramref name="batchSize"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null, or <paramref name="random"/> is null while shuffling.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public DataLoader(Dataset dataset, int batchSize, bool shuffle = false, IRandomSource? random = null, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (shuffle && random is null)
        {
            throw new ArgumentNullException(nameof(random), "Shuffling needs an IRandomSource (a SeededRandomSource for reproducible runs).");
        }

        _dataset = dataset;
        _random = shuffle ? random : null;
        BatchSize = batchSize;
        DropLast = dropLast;
    }

    /// <summary>The examples per batch (the last batch may be smaller unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }

    /// <summary>Whether a last, smaller batch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>Whether each epoch visits the examples in a new random order.</summary>
    public bool Shuffle => _random is not null;

    /// <summary>The number of batches in one epoch.</summary>
    public int BatchCount => DropLast ? _dataset.Count / BatchSize : (int)(((long)_dataset.Count + BatchSize - 1) / BatchSize);

    /// <summary>Starts an epoch: draws the order (when shuffling) and yields its batches.</summary>
    /// <returns>The batches of one epoch.</returns>
    public IEnumerator<(Tensor Inputs, Tensor Targets)> GetEnumerator()
    {
        var count = _dataset.Count;
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        _random?.Shuffle(order.AsSpan());
        return Batches(order);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerator<(Tensor Inputs, Tensor Targets)> Batches(int[] order)
    {
        var batches = BatchCount;
        for (var b = 0; b < batches; b++)
        {
            var start = b * BatchSize;
            var length = Math.Min(BatchSize, order.Length - start);
            yield return _dataset.GetBatch(order.AsSpan(start, length));
        }
    }
}
