namespace Tessera;

public sealed partial class Tensor
{
    /// <summary>Elementwise choice: <paramref name="x"/> where <paramref name="condition"/> is true, otherwise <paramref name="y"/>.</summary>
    /// <param name="condition">A Bool tensor.</param>
    /// <param name="x">Values where true.</param>
    /// <param name="y">Values where false; same dtype as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The condition is not Bool, dtypes differ, or shapes do not broadcast.</exception>
    public static Tensor Where(Tensor condition, Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        condition.RequireBool("Where");
        CheckSameDType(x, y, "Where");
        var shape = ShapeHelpers.Broadcast(ShapeHelpers.Broadcast(condition._shape, x._shape, "Where"), y._shape, "Where");
        var c = condition.Expand(shape).Contiguous().AsSpan<bool>();
        var result = x.Detach().Expand(shape).Contiguous().Clone();
        var other = y.Detach().Expand(shape).Contiguous();
        switch (x.DType)
        {
            case DType.Float32: Choose(c, other.AsSpan<float>(), result.AsSpan<float>()); break;
            case DType.Float64: Choose(c, other.AsSpan<double>(), result.AsSpan<double>()); break;
            case DType.Int64: Choose(c, other.AsSpan<long>(), result.AsSpan<long>()); break;
            case DType.UInt64: Choose(c, other.AsSpan<ulong>(), result.AsSpan<ulong>()); break;
            default: Choose(c, other.AsSpan<bool>(), result.AsSpan<bool>()); break;
        }

        return result.Record("Where", g =>
        [
            x.RequiresGrad ? g.MaskedFill(condition.LogicalNot(), 0).SumToShape(x._shape) : null,
            y.RequiresGrad ? g.MaskedFill(condition, 0).SumToShape(y._shape) : null,
        ], x, y);
    }

    /// <summary>A copy with <paramref name="value"/> wherever <paramref name="mask"/> is true.</summary>
    /// <param name="mask">A Bool tensor broadcastable to this shape.</param>
    /// <param name="value">The fill value.</param>
    public Tensor MaskedFill(Tensor mask, double value) => Where(mask, ScalarLike(value).Expand(_shape), this);

    /// <summary>Joins tensors along an existing dimension.</summary>
    /// <param name="tensors">Tensors of one dtype whose shapes agree except along <paramref name="dim"/>.</param>
    /// <param name="dim">The dimension.</param>
    /// <exception cref="ArgumentException">No tensors, or the shapes or dtypes disagree.</exception>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException("Cat needs at least one tensor.", nameof(tensors));
        }

        var first = tensors[0];
        var d = ShapeHelpers.NormalizeDim(dim, first.Rank);
        var shape = first.ShapeToArray();
        var total = 0;
        foreach (var t in tensors)
        {
            CheckSameDType(first, t, "Cat");
            if (t.Rank != first.Rank)
            {
                throw new ArgumentException($"Cat: shapes {ShapeHelpers.Format(first._shape)} and {ShapeHelpers.Format(t._shape)} differ in rank.", nameof(tensors));
            }

            for (var i = 0; i < first.Rank; i++)
            {
                if (i != d && t._shape[i] != first._shape[i])
                {
                    throw new ArgumentException($"Cat along {d}: shapes {ShapeHelpers.Format(first._shape)} and {ShapeHelpers.Format(t._shape)} differ in dimension {i}.", nameof(tensors));
                }
            }

            total += t._shape[d];
        }

        shape[d] = total;
        var result = Zeros(shape, first.DType);
        var offset = 0;
        var sizes = new int[tensors.Count];
        for (var i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            sizes[i] = t._shape[d];
            CopyInto(t, result.Detach().Narrow(d, offset, sizes[i]));
            offset += sizes[i];
        }

        return result.Record("Cat", g =>
        {
            var grads = new Tensor?[sizes.Length];
            var o = 0;
            for (var i = 0; i < sizes.Length; i++)
            {
                grads[i] = g.Narrow(d, o, sizes[i]);
                o += sizes[i];
            }

            return grads;
        }, [.. tensors]);
    }

    /// <summary>Joins tensors of one shape along a new dimension.</summary>
    /// <param name="tensors">Tensors of identical shape and dtype.</param>
    /// <param name="dim">The new dimension's position.</param>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException("Stack needs at least one tensor.", nameof(tensors));
        }

        foreach (var t in tensors)
        {
            if (!ShapeHelpers.SameShape(t._shape, tensors[0]._shape))
            {
                throw new ArgumentException($"Stack: shapes {ShapeHelpers.Format(tensors[0]._shape)} and {ShapeHelpers.Format(t._shape)} differ.", nameof(tensors));
            }
        }

        var d = ShapeHelpers.NormalizeDim(dim, tensors[0].Rank + 1);
        return Cat([.. tensors.Select(t => t.Unsqueeze(d))], d);
    }

    /// <summary>Splits into pieces of <paramref name="size"/> along <paramref name="dim"/> (the last may be smaller); views.</summary>
    /// <param name="size">The size of each piece; positive.</param>
    /// <param name="dim">The dimension.</param>
    public Tensor[] Split(int size, int dim = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var d = ShapeHelpers.NormalizeDim(dim, Rank);
        var pieces = new List<Tensor>();
        for (var start = 0; start < _shape[d]; start += size)
        {
            pieces.Add(Narrow(d, start, Math.Min(size, _shape[d] - start)));
        }

        return [.. pieces];
    }

    /// <summary>Splits into <paramref name="chunks"/> nearly equal pieces along <paramref name="dim"/>; views.</summary>
    /// <param name="chunks">The number of pieces; positive.</param>
    /// <param name="dim">The dimension.</param>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunks);
        var d = ShapeHelpers.NormalizeDim(dim, Rank);
        return Split(Math.Max(1, (_shape[d] + chunks - 1) / chunks), d);
    }

    /// <summary>Selects entries along <paramref name="dim"/> by the Int64 indices in <paramref name="index"/>.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="index">A one-dimensional Int64 tensor of indices in range.</param>
    /// <exception cref="ArgumentException">The index is not a one-dimensional Int64 tensor.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public Tensor IndexSelect(int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var d = ShapeHelpers.NormalizeDim(dim, Rank);
        if (index.DType != DType.Int64 || index.Rank != 1)
        {
            throw new ArgumentException($"IndexSelect needs a one-dimensional Int64 index, not {index.DType} {ShapeHelpers.Format(index._shape)}.", nameof(index));
        }

        var idx = index.Contiguous().AsSpan<long>().ToArray();
        var size = _shape[d];
        foreach (var i in idx)
        {
            if (i < -size || i >= size)
            {
                throw new ArgumentOutOfRangeException(nameof(index), $"IndexSelect: index {i} is out of range for dimension {d} of size {size}.");
            }
        }

        var shape = ShapeToArray();
        shape[d] = idx.Length;
        var result = Zeros(shape, DType);
        var src = Detach();
        var dst = result.Detach();
        for (var j = 0; j < idx.Length; j++)
        {
            var i = (int)(idx[j] < 0 ? idx[j] + size : idx[j]);
            CopyInto(src.Narrow(d, i, 1), dst.Narrow(d, j, 1));
        }

        var original = _shape;
        return result.Record("IndexSelect", g =>
        {
            var full = Zeros(original, g.DType);
            for (var j = 0; j < idx.Length; j++)
            {
                var i = (int)(idx[j] < 0 ? idx[j] + size : idx[j]);
                full.Narrow(d, i, 1).AddInPlace(g.Narrow(d, j, 1));
            }

            return [full];
        }, this);
    }

    /// <summary>Gathers values along <paramref name="dim"/>: out[i][j] = x[index[i][j]][j] for dim 0 (PyTorch's gather).</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="index">An Int64 tensor of this rank; its other dimensions must not exceed this tensor's.</param>
    public Tensor Gather(int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var d = ShapeHelpers.NormalizeDim(dim, Rank);
        if (index.DType != DType.Int64 || index.Rank != Rank)
        {
            throw new ArgumentException($"Gather needs an Int64 index of rank {Rank}, not {index.DType} {ShapeHelpers.Format(index._shape)}.", nameof(index));
        }

        for (var i = 0; i < Rank; i++)
        {
            if (i != d && index._shape[i] > _shape[i])
            {
                throw new ArgumentException($"Gather: index shape {ShapeHelpers.Format(index._shape)} exceeds {ShapeHelpers.Format(_shape)} in dimension {i}.", nameof(index));
            }
        }

        var positions = GatherPositions(d, index);
        var result = Zeros(index._shape, DType);
        var src = Contiguous();
        switch (DType)
        {
            case DType.Float32: GatherTyped(src.AsSpan<float>(), positions, result.AsSpan<float>()); break;
            case DType.Float64: GatherTyped(src.AsSpan<double>(), positions, result.AsSpan<double>()); break;
            case DType.Int64: GatherTyped(src.AsSpan<long>(), positions, result.AsSpan<long>()); break;
            case DType.UInt64: GatherTyped(src.AsSpan<ulong>(), positions, result.AsSpan<ulong>()); break;
            default: GatherTyped(src.AsSpan<bool>(), positions, result.AsSpan<bool>()); break;
        }

        var original = _shape;
        return result.Record("Gather", g =>
        {
            var full = Zeros(original, g.DType);
            var gs = g.Contiguous();
            if (g.DType == DType.Float32)
            {
                ScatterAdd(gs.AsSpan<float>(), positions, full.AsSpan<float>());
            }
            else
            {
                ScatterAdd(gs.AsSpan<double>(), positions, full.AsSpan<double>());
            }

            return [full];
        }, this);
    }

    /// <summary>Flat positions (in this tensor's contiguous layout) that Gather reads for each index element.</summary>
    private int[] GatherPositions(int d, Tensor index)
    {
        var idx = index.Contiguous().AsSpan<long>();
        var strides = ShapeHelpers.ContiguousStrides(_shape);
        var positions = new int[idx.Length];
        var coords = new int[Rank];
        for (var n = 0; n < idx.Length; n++)
        {
            var pos = 0;
            for (var i = 0; i < Rank; i++)
            {
                var c = coords[i];
                if (i == d)
                {
                    var v = idx[n];
                    if (v < 0 || v >= _shape[d])
                    {
                        throw new ArgumentOutOfRangeException(nameof(index), $"Gather: index {v} is out of range for dimension {d} of size {_shape[d]}.");
                    }

                    c = (int)v;
                }

                pos += c * strides[i];
            }

            positions[n] = pos;
            for (var i = Rank - 1; i >= 0; i--)
            {
                if (++coords[i] < index._shape[i])
                {
                    break;
                }

                coords[i] = 0;
            }
        }

        return positions;
    }

    private static void GatherTyped<T>(ReadOnlySpan<T> src, int[] positions, Span<T> dst)
    {
        for (var i = 0; i < positions.Length; i++)
        {
            dst[i] = src[positions[i]];
        }
    }

    private static void ScatterAdd<T>(ReadOnlySpan<T> src, int[] positions, Span<T> dst)
        where T : System.Numerics.INumber<T>
    {
        for (var i = 0; i < positions.Length; i++)
        {
            dst[positions[i]] += src[i];
        }
    }

    private static void Choose<T>(ReadOnlySpan<bool> condition, ReadOnlySpan<T> whenFalse, Span<T> destination)
    {
        for (var i = 0; i < condition.Length; i++)
        {
            if (!condition[i])
            {
                destination[i] = whenFalse[i];
            }
        }
    }
}
