namespace Tessera;

public sealed partial class Tensor
{
    /// <summary>The same elements with a new shape; a view when the layout allows, otherwise a copy. One dimension may be -1.</summary>
    /// <param name="shape">The new shape; its element count must match.</param>
    /// <exception cref="ArgumentException">The element counts differ, or more than one dimension is -1.</exception>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var target = InferShape(shape);
        if (ShapeHelpers.SameShape(target, _shape))
        {
            return this;
        }

        var original = _shape;
        Tensor result;
        if (IsContiguous)
        {
            result = new Tensor(Storage, DType, target, ShapeHelpers.ContiguousStrides(target), Offset);
        }
        else
        {
            var copy = Empty(_shape, DType);
            CopyInto(this, copy);
            result = new Tensor(copy.Storage, DType, target, ShapeHelpers.ContiguousStrides(target), 0);
        }

        return result.Record("Reshape", g => [g.Reshape(original)], this);
    }

    /// <summary>Flattens dimensions <paramref name="startDim"/> through <paramref name="endDim"/> into one.</summary>
    /// <param name="startDim">The first dimension to flatten.</param>
    /// <param name="endDim">The last dimension to flatten.</param>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Rank == 0)
        {
            return Reshape(1);
        }

        var s = ShapeHelpers.NormalizeDim(startDim, Rank);
        var e = ShapeHelpers.NormalizeDim(endDim, Rank);
        if (e < s)
        {
            throw new ArgumentException($"Flatten: endDim {endDim} comes before startDim {startDim}.", nameof(endDim));
        }

        var shape = new List<int>();
        for (var i = 0; i < s; i++)
        {
            shape.Add(_shape[i]);
        }

        var m = 1;
        for (var i = s; i <= e; i++)
        {
            m *= _shape[i];
        }

        shape.Add(m);
        for (var i = e + 1; i < Rank; i++)
        {
            shape.Add(_shape[i]);
        }

        return Reshape([.. shape]);
    }

    /// <summary>Reorders the dimensions (a view).</summary>
    /// <param name="dims">A permutation of 0..Rank-1.</param>
    /// <exception cref="ArgumentException"><paramref name="dims"/> is not a permutation of the dimensions.</exception>
    public Tensor Permute(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length != Rank)
        {
            throw new ArgumentException($"Permute needs {Rank} dimensions for shape {ShapeHelpers.Format(_shape)}, got {dims.Length}.", nameof(dims));
        }

        var seen = new bool[Rank];
        var shape = new int[Rank];
        var strides = new int[Rank];
        var inverse = new int[Rank];
        for (var i = 0; i < Rank; i++)
        {
            var d = ShapeHelpers.NormalizeDim(dims[i], Rank);
            if (seen[d])
            {
                throw new ArgumentException($"Permute: dimension {d} appears twice in {ShapeHelpers.Format(dims)}.", nameof(dims));
            }

            seen[d] = true;
            shape[i] = _shape[d];
            strides[i] = _strides[d];
            inverse[d] = i;
        }

        return new Tensor(Storage, DType, shape, strides, Offset).Record("Permute", g => [g.Permute(inverse)], this);
    }

    /// <summary>Swaps two dimensions (a view).</summary>
    /// <param name="dim0">The first dimension.</param>
    /// <param name="dim1">The second dimension.</param>
    public Tensor Transpose(int dim0 = -2, int dim1 = -1)
    {
        var perm = new int[Rank];
        for (var i = 0; i < Rank; i++)
        {
            perm[i] = i;
        }

        var a = ShapeHelpers.NormalizeDim(dim0, Rank);
        var b = ShapeHelpers.NormalizeDim(dim1, Rank);
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(perm);
    }

    /// <summary>The transpose of a matrix (rank 2), as a view.</summary>
    /// <exception cref="InvalidOperationException">The tensor is not rank 2.</exception>
    public Tensor T => Rank == 2 ? Transpose(0, 1)
        : throw new InvalidOperationException($"T needs a matrix; this tensor has shape {ShapeHelpers.Format(_shape)}. Use Transpose(d0, d1).");

    /// <summary>Elements <paramref name="start"/> .. <paramref name="start"/>+<paramref name="length"/> along <paramref name="dim"/> (a view).</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="start">The first index; negative counts from the end.</param>
    /// <param name="length">How many elements.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range leaves the dimension.</exception>
    public Tensor Narrow(int dim, int start, int length)
    {
        var d = ShapeHelpers.NormalizeDim(dim, Rank);
        var size = _shape[d];
        var s = start < 0 ? start + size : start;
        if (s < 0 || length < 0 || s + length > size)
        {
            throw new ArgumentOutOfRangeException(nameof(start),
                $"Narrow({dim}, {start}, {length}) leaves dimension {d} of size {size} in shape {ShapeHelpers.Format(_shape)}.");
        }

        return Slice(d, s, s + length, 1);
    }

    /// <summary>Elements start, start+step, ... below end along <paramref name="dim"/> (a view), like Python's <c>x[start:end:step]</c>.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="start">The first index (clamped; negative counts from the end).</param>
    /// <param name="end">The exclusive end (clamped; negative counts from the end).</param>
    /// <param name="step">The step; positive.</param>
    public Tensor Slice(int dim, int start, int end, int step = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
        var d = ShapeHelpers.NormalizeDim(dim, Rank);
        var size = _shape[d];
        var s = Math.Clamp(start < 0 ? start + size : start, 0, size);
        var e = Math.Clamp(end < 0 ? end + size : end, 0, size);
        var n = e > s ? ((e - s + step - 1) / step) : 0;
        var shape = ShapeToArray();
        var strides = (int[])_strides.Clone();
        shape[d] = n;
        strides[d] = _strides[d] * step;
        var originalShape = _shape;
        var result = new Tensor(Storage, DType, shape, strides, Offset + (s * _strides[d]));
        return result.Record("Slice", g =>
        {
            var full = Zeros(originalShape, g.DType);
            full.Slice(d, s, e, step).CopyFrom(g);
            return [full];
        }, this);
    }

    /// <summary>Selects index <paramref name="index"/> along <paramref name="dim"/>, removing that dimension (a view).</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="index">The index; negative counts from the end.</param>
    public Tensor Select(int dim, int index)
    {
        var d = ShapeHelpers.NormalizeDim(dim, Rank);
        return Narrow(d, index, 1).Squeeze(d);
    }

    /// <summary>Selects along the first dimension: <c>x[i]</c>.</summary>
    /// <param name="index">The index; negative counts from the end.</param>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[int index] => Select(0, index);

    /// <summary>Removes dimension <paramref name="dim"/>, which must have size 1 (a view).</summary>
    /// <param name="dim">The dimension.</param>
    /// <exception cref="ArgumentException">The dimension's size is not 1.</exception>
    public Tensor Squeeze(int dim)
    {
        var d = ShapeHelpers.NormalizeDim(dim, Rank);
        if (_shape[d] != 1)
        {
            throw new ArgumentException($"Squeeze({dim}): dimension {d} of shape {ShapeHelpers.Format(_shape)} is not 1.", nameof(dim));
        }

        var shape = _shape.Where((_, i) => i != d).ToArray();
        var strides = _strides.Where((_, i) => i != d).ToArray();
        var original = _shape;
        return new Tensor(Storage, DType, shape, strides, Offset).Record("Squeeze", g => [g.Reshape(original)], this);
    }

    /// <summary>Removes every dimension of size 1 (a view).</summary>
    public Tensor Squeeze()
    {
        var shape = _shape.Where(s => s != 1).ToArray();
        var strides = _strides.Where((_, i) => _shape[i] != 1).ToArray();
        var original = _shape;
        return new Tensor(Storage, DType, shape, strides, Offset).Record("Squeeze", g => [g.Reshape(original)], this);
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/> (a view).</summary>
    /// <param name="dim">The new dimension's position, in 0..Rank; negative counts from the end.</param>
    public Tensor Unsqueeze(int dim)
    {
        var d = ShapeHelpers.NormalizeDim(dim, Rank + 1);
        var shape = new List<int>(_shape);
        var strides = new List<int>(_strides);
        shape.Insert(d, 1);
        strides.Insert(d, d < Rank ? _strides[d] * _shape[d] : 1);
        var original = _shape;
        return new Tensor(Storage, DType, [.. shape], [.. strides], Offset).Record("Unsqueeze", g => [g.Reshape(original)], this);
    }

    /// <summary>Broadcasts to <paramref name="shape"/> without copying (size-1 dimensions get stride 0). -1 keeps a size.</summary>
    /// <param name="shape">The target shape.</param>
    /// <exception cref="ArgumentException">This shape does not broadcast to the target.</exception>
    public Tensor Expand(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length < Rank)
        {
            throw new ArgumentException($"Expand: shape {ShapeHelpers.Format(_shape)} cannot expand to fewer dimensions {ShapeHelpers.Format(shape)}.", nameof(shape));
        }

        var target = (int[])shape.Clone();
        var lead = target.Length - Rank;
        var strides = new int[target.Length];
        for (var i = 0; i < target.Length; i++)
        {
            if (i < lead)
            {
                if (target[i] < 0)
                {
                    throw new ArgumentException($"Expand: -1 is not allowed for a new leading dimension in {ShapeHelpers.Format(shape)}.", nameof(shape));
                }

                strides[i] = 0;
                continue;
            }

            var own = _shape[i - lead];
            if (target[i] == -1)
            {
                target[i] = own;
            }

            if (own == target[i])
            {
                strides[i] = _strides[i - lead];
            }
            else if (own == 1)
            {
                strides[i] = 0;
            }
            else
            {
                throw new ArgumentException($"Expand: shape {ShapeHelpers.Format(_shape)} cannot expand to {ShapeHelpers.Format(shape)}.", nameof(shape));
            }
        }

        if (ShapeHelpers.SameShape(target, _shape))
        {
            return this;
        }

        var original = _shape;
        return new Tensor(Storage, DType, target, strides, Offset).Record("Expand", g => [g.SumToShape(original)], this);
    }

    /// <summary>Broadcasts to the shape of <paramref name="other"/> (a view).</summary>
    /// <param name="other">The tensor whose shape to take.</param>
    public Tensor ExpandAs(Tensor other) => Expand(other._shape);

    private int[] InferShape(int[] shape)
    {
        var target = (int[])shape.Clone();
        var inferred = -1;
        long known = 1;
        for (var i = 0; i < target.Length; i++)
        {
            if (target[i] == -1)
            {
                if (inferred >= 0)
                {
                    throw new ArgumentException($"Reshape: only one dimension can be -1 in {ShapeHelpers.Format(shape)}.", nameof(shape));
                }

                inferred = i;
            }
            else if (target[i] < 0)
            {
                throw new ArgumentException($"Reshape: shape {ShapeHelpers.Format(shape)} has a negative dimension.", nameof(shape));
            }
            else
            {
                known *= target[i];
            }
        }

        if (inferred >= 0)
        {
            if (known == 0 || Count % known != 0)
            {
                throw new ArgumentException($"Reshape: cannot reshape {ShapeHelpers.Format(_shape)} ({Count} elements) to {ShapeHelpers.Format(shape)}.", nameof(shape));
            }

            target[inferred] = (int)(Count / known);
            known *= target[inferred];
        }

        if (known != Count)
        {
            throw new ArgumentException($"Reshape: cannot reshape {ShapeHelpers.Format(_shape)} ({Count} elements) to {ShapeHelpers.Format(shape)}.", nameof(shape));
        }

        return target;
    }
}
