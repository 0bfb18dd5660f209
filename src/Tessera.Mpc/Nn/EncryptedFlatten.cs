namespace Tessera.Mpc.Nn;

/// <summary>Encrypted <see cref="Tessera.NN.Flatten"/>: merges dimensions start..end; local.</summary>
public sealed class EncryptedFlatten : EncryptedModule
{
    internal EncryptedFlatten(int startDim, int endDim)
    {
        StartDim = startDim;
        EndDim = endDim;
    }

    /// <summary>The first dimension merged.</summary>
    public int StartDim { get; }

    /// <summary>The last dimension merged.</summary>
    public int EndDim { get; }

    /// <inheritdoc/>
    public override string Name => $"Flatten({StartDim}, {EndDim})";

    /// <inheritdoc/>
    public override ValueTask<EncryptedTensor> ForwardAsync(EncryptedTensor input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var rank = input.Rank;
        var start = StartDim < 0 ? StartDim + rank : StartDim;
        var end = EndDim < 0 ? EndDim + rank : EndDim;
        if (rank == 0 || start < 0 || end >= rank || start > end)
        {
            throw new ArgumentException($"{Name} does not fit an input of shape {Format(input.Shape)}.", nameof(input));
        }

        var shape = new List<int>();
        shape.AddRange(input.Shape.Take(start));
        shape.Add(input.Shape.Skip(start).Take(end - start + 1).Aggregate(1, (a, b) => a * b));
        shape.AddRange(input.Shape.Skip(end + 1));
        return ValueTask.FromResult(input.Reshape([.. shape]));
    }
}
