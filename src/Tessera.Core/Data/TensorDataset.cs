using System.Runtime.CompilerServices;

namespace Tessera.Data;

/// <summary>A dataset over two tensors whose first dimension indexes the examples: inputs [N, ...] and targets [N, ...].</summary>
/// <remarks>Batches are gathered by copying whole contiguous rows. Thread-safe for concurrent reads.</remarks>
public sealed class TensorDataset : Dataset
{
    private readonly int _inputRow;
    private readonly int _targetRow;

    /// <summary>Creates a dataset from inputs and targets with the same first dimension.</summary>
    /// <param name="inputs">The inputs, [N, ...]; made contiguous if it is not.</param>
    /// <param name="targets">The targets, [N, ...]; made contiguous if it is not.</param>
    /// <exception cref="ArgumentException">A tensor is a scalar or the first dimensions differ.</exception>
    public TensorDataset(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Rank == 0 || targets.Rank == 0)
        {
            throw new ArgumentException($"Inputs {inputs} and targets {targets} need a first dimension that indexes the examples.");
        }

        if (inputs.Size(0) != targets.Size(0))
        {
            throw new ArgumentException(
                $"Inputs {inputs} and targets {targets} must have the same first dimension (the number of examples).", nameof(targets));
        }

        Inputs = inputs.Contiguous();
        Targets = targets.Contiguous();
        _inputRow = Inputs.Size(0) == 0 ? 0 : Inputs.Count / Inputs.Size(0);
        _targetRow = Targets.Size(0) == 0 ? 0 : Targets.Count / Targets.Size(0);
    }

    /// <summary>All inputs, contiguous, [N, ...].</summary>
    public Tensor Inputs { get; }

    /// <summary>All targets, contiguous, [N, ...].</summary>
    public Tensor Targets { get; }

    /// <inheritdoc/>
    public override int Count => Inputs.Size(0);

    /// <inheritdoc/>
    /// <remarks>The example is a view into <see cref="Inputs"/> and <see cref="Targets"/>, not a copy.</remarks>
    public override (Tensor Input, Tensor Target) this[int index]
    {
        get
        {
            CheckIndex(index);
            return (Inputs.Select(0, index), Targets.Select(0, index));
        }
    }

    /// <inheritdoc/>
    public override (Tensor Inputs, Tensor Targets) GetBatch(ReadOnlySpan<int> indices)
    {
        if (indices.IsEmpty)
        {
            throw new ArgumentException("A batch needs at least one index.", nameof(indices));
        }

        foreach (var index in indices)
        {
            CheckIndex(index);
        }

        return (Gather(Inputs, _inputRow, indices), Gather(Targets, _targetRow, indices));
    }

    // Hot on every batch of the first epoch too; skip tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Tensor Gather(Tensor all, int row, ReadOnlySpan<int> indices)
    {
        var shape = all.ShapeToArray();
        shape[0] = indices.Length;
        var batch = Tensor.Zeros(shape, all.DType);

        // Runs of consecutive indices (every batch when not shuffling) become one block copy.
        var i = 0;
        while (i < indices.Length)
        {
            var run = 1;
            while (i + run < indices.Length && indices[i + run] == indices[i] + run)
            {
                run++;
            }

            RowCopy.Copy(all, indices[i] * row, batch, i * row, run * row);
            i += run;
        }

        return batch;
    }
}
