namespace Tessera.Data;

/// <summary>An indexable collection of (input, target) examples that a <see cref="DataLoader"/> draws batches from.</summary>
/// <remarks>
/// Implement <see cref="Count"/> and the indexer; override <see cref="GetBatch"/> when the examples already live in one
/// tensor and can be gathered faster than one by one (as <see cref="TensorDataset"/> does).
/// </remarks>
public abstract class Dataset
{
    /// <summary>The number of examples.</summary>
    public abstract int Count { get; }

    /// <summary>The example at <paramref name="index"/>.</summary>
    /// <param name="index">Zero-based, less than <see cref="Count"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public abstract (Tensor Input, Tensor Target) this[int index] { get; }

    /// <summary>
    /// Stacks the examples at <paramref name="indices"/> into contiguous [batch, ...] tensors; every example must have
    /// the input shape and dtype of the first, and likewise for targets.
    /// </summary>
    /// <param name="indices">The example indices, in batch order; not empty.</param>
    /// <returns>The stacked inputs and targets.</returns>
    /// <exception cref="ArgumentException"><paramref name="indices"/> is empty or the examples differ in shape or dtype.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public virtual (Tensor Inputs, Tensor Targets) GetBatch(ReadOnlySpan<int> indices)
    {
        if (indices.IsEmpty)
        {
            throw new ArgumentException("A batch needs at least one index.", nameof(indices));
        }

        var (input0, target0) = this[indices[0]];
        var inputs = Tensor.Zeros([indices.Length, .. input0.Shape], input0.DType);
        var targets = Tensor.Zeros([indices.Length, .. target0.Shape], target0.DType);
        for (var i = 0; i < indices.Length; i++)
        {
            var (input, target) = i == 0 ? (input0, target0) : this[indices[i]];
            Place(input, input0, inputs, i, indices[i], "input");
            Place(target, target0, targets, i, indices[i], "target");
        }

        return (inputs, targets);
    }

    /// <summary>Checks an index against <see cref="Count"/>.</summary>
    /// <param name="index">The index to check.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not less than <see cref="Count"/>.</exception>
    protected void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset has {Count} examples.");
        }
    }

    private static void Place(Tensor example, Tensor first, Tensor batch, int row, int index, string what)
    {
        if (example.DType != first.DType || !example.Shape.SequenceEqual(first.Shape))
        {
            throw new ArgumentException(
                $"Example {index} has {what} {example} but the batch's first example has {first}; examples in a batch must match.");
        }

        RowCopy.Copy(example.Contiguous(), 0, batch, row * example.Count, example.Count);
    }
}
