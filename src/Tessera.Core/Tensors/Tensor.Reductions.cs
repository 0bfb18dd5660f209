using System.Numerics;
using System.Numerics.Tensors;

namespace Tessera;

public sealed partial class Tensor
{
    /// <summary>The sum of all elements, as a scalar tensor.</summary>
    public Tensor Sum() => Sum(AllDims(), keepDim: false);

    /// <summary>The sum over <paramref name="dims"/>.</summary>
    /// <param name="dims">The dimensions to reduce; negative counts from the end.</param>
    /// <param name="keepDim">Whether to keep reduced dimensions with size 1.</param>
    public Tensor Sum(int[] dims, bool keepDim = false)
    {
        var (reduce, outShape, keptShape) = ReductionShapes(dims, "Sum");
        var result = DType switch
        {
            DType.Float32 => SumTyped<float>(reduce, keptShape),
            DType.Float64 => SumTyped<double>(reduce, keptShape),
            DType.Int64 => SumTyped<long>(reduce, keptShape),
            DType.UInt64 => SumTyped<ulong>(reduce, keptShape),
            _ => To(DType.Int64).SumTyped<long>(reduce, keptShape),
        };
        result = result.Reshape(keepDim ? keptShape : outShape);
        var original = _shape;
        return result.Record("Sum", g => [g.Reshape(keptShape).Expand(original)], this);
    }

    /// <summary>The sum over one dimension.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="keepDim">Whether to keep it with size 1.</param>
    public Tensor Sum(int dim, bool keepDim = false) => Sum([dim], keepDim);

    /// <summary>The mean of all elements (floating point).</summary>
    public Tensor Mean() => Mean(AllDims(), keepDim: false);

    /// <summary>The mean over <paramref name="dims"/> (floating point).</summary>
    /// <param name="dims">The dimensions to reduce.</param>
    /// <param name="keepDim">Whether to keep reduced dimensions with size 1.</param>
    public Tensor Mean(int[] dims, bool keepDim = false)
    {
        RequireFloat("Mean");
        var (reduce, _, _) = ReductionShapes(dims, "Mean");
        var n = 1;
        foreach (var d in reduce)
        {
            n *= _shape[d];
        }

        return Sum(dims, keepDim).Div(n);
    }

    /// <summary>The mean over one dimension (floating point).</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="keepDim">Whether to keep it with size 1.</param>
    public Tensor Mean(int dim, bool keepDim = false) => Mean([dim], keepDim);

    /// <summary>The variance over <paramref name="dims"/>, with Bessel's correction unless <paramref name="unbiased"/> is false.</summary>
    /// <param name="dims">The dimensions to reduce.</param>
    /// <param name="unbiased">Divide by n - 1 (true, PyTorch's default) or n.</param>
    /// <param name="keepDim">Whether to keep reduced dimensions with size 1.</param>
    public Tensor Var(int[] dims, bool unbiased = true, bool keepDim = false)
    {
        RequireFloat("Var");
        var (reduce, _, _) = ReductionShapes(dims, "Var");
        var n = 1;
        foreach (var d in reduce)
        {
            n *= _shape[d];
        }

        var centered = Sub(Mean(dims, keepDim: true));
        return centered.Mul(centered).Sum(dims, keepDim).Div(Math.Max(unbiased ? n - 1 : n, 1));
    }

    /// <summary>The variance of all elements (unbiased).</summary>
    public Tensor Var() => Var(AllDims());

    /// <summary>The standard deviation over <paramref name="dims"/>.</summary>
    /// <param name="dims">The dimensions to reduce.</param>
    /// <param name="unbiased">Divide by n - 1 (true) or n.</param>
    /// <param name="keepDim">Whether to keep reduced dimensions with size 1.</param>
    public Tensor Std(int[] dims, bool unbiased = true, bool keepDim = false) => Var(dims, unbiased, keepDim).Sqrt();

    /// <summary>The standard deviation of all elements (unbiased).</summary>
    public Tensor Std() => Var().Sqrt();

    /// <summary>The largest element, as a scalar tensor.</summary>
    public Tensor Max() => Flatten().Max(0).Values;

    /// <summary>The smallest element, as a scalar tensor.</summary>
    public Tensor Min() => Flatten().Min(0).Values;

    /// <summary>The largest values along <paramref name="dim"/> and their indices (the first on ties).</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="keepDim">Whether to keep it with size 1.</param>
    public (Tensor Values, Tensor Indices) Max(int dim, bool keepDim = false) => Extreme(dim, keepDim, max: true);

    /// <summary>The smallest values along <paramref name="dim"/> and their indices (the first on ties).</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="keepDim">Whether to keep it with size 1.</param>
    public (Tensor Values, Tensor Indices) Min(int dim, bool keepDim = false) => Extreme(dim, keepDim, max: false);

    /// <summary>The index of the largest value along <paramref name="dim"/>, as Int64.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="keepDim">Whether to keep it with size 1.</param>
    public Tensor ArgMax(int dim, bool keepDim = false) => Extreme(dim, keepDim, max: true).Indices;

    /// <summary>The index of the smallest value along <paramref name="dim"/>, as Int64.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="keepDim">Whether to keep it with size 1.</param>
    public Tensor ArgMin(int dim, bool keepDim = false) => Extreme(dim, keepDim, max: false).Indices;

    /// <summary>log(sum(exp(x))) over <paramref name="dim"/>, computed stably.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="keepDim">Whether to keep it with size 1.</param>
    public Tensor LogSumExp(int dim, bool keepDim = false)
    {
        RequireFloat("LogSumExp");
        var m = Detach().Max(dim, keepDim: true).Values;
        var r = Sub(m).Exp().Sum(dim, keepDim: true).Log().Add(m);
        return keepDim ? r : r.Squeeze(dim);
    }

    /// <summary>Sums a broadcast gradient back down to <paramref name="shape"/>.</summary>
    internal Tensor SumToShape(ReadOnlySpan<int> shape)
    {
        if (ShapeHelpers.SameShape(_shape, shape))
        {
            return this;
        }

        var lead = Rank - shape.Length;
        var dims = new List<int>();
        for (var i = 0; i < Rank; i++)
        {
            if (i < lead || (shape[i - lead] == 1 && _shape[i] != 1))
            {
                dims.Add(i);
            }
        }

        var summed = dims.Count == 0 ? this : Sum([.. dims], keepDim: true);
        return summed.Reshape(shape.ToArray());
    }

    private int[] AllDims() => Enumerable.Range(0, Rank).ToArray();

    private (int[] Reduce, int[] OutShape, int[] KeptShape) ReductionShapes(int[] dims, string operation)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var reduce = new SortedSet<int>();
        foreach (var d in dims)
        {
            if (!reduce.Add(ShapeHelpers.NormalizeDim(d, Rank)))
            {
                throw new ArgumentException($"{operation}: dimension {d} appears twice in {ShapeHelpers.Format(dims)}.", nameof(dims));
            }
        }

        var outShape = new List<int>();
        var kept = new int[Rank];
        for (var i = 0; i < Rank; i++)
        {
            kept[i] = reduce.Contains(i) ? 1 : _shape[i];
            if (!reduce.Contains(i))
            {
                outShape.Add(_shape[i]);
            }
        }

        return ([.. reduce], [.. outShape], kept);
    }

    /// <summary>Sums over <paramref name="reduce"/> into a contiguous tensor of <paramref name="keptShape"/>.</summary>
    private Tensor SumTyped<T>(int[] reduce, int[] keptShape)
        where T : unmanaged, INumber<T>
    {
        var result = Zeros(keptShape, DType);
        var dst = result.AsSpan<T>();
        if (Count == 0)
        {
            return result;
        }

        var leading = reduce.Length > 0 && reduce[^1] == reduce.Length - 1;
        if (IsContiguous && leading)
        {
            // Reducing leading dims of a contiguous tensor (a bias gradient): add whole rows.
            var src = AsSpan<T>();
            var row = dst.Length;
            for (var o = 0; o < src.Length; o += row)
            {
                TensorPrimitives.Add(dst, src.Slice(o, row), dst);
            }

            return result;
        }

        var moved = MoveToEnd(reduce);
        var inner = 1;
        foreach (var d in reduce)
        {
            inner *= _shape[d];
        }

        var data = moved.AsSpan<T>();
        for (var o = 0; o < dst.Length; o++)
        {
            dst[o] = TensorPrimitives.Sum<T>(data.Slice(o * inner, inner));
        }

        return result;
    }

    /// <summary>A contiguous copy with <paramref name="dims"/> moved last, in order.</summary>
    private Tensor MoveToEnd(int[] dims)
    {
        var perm = Enumerable.Range(0, Rank).Where(i => Array.IndexOf(dims, i) < 0).Concat(dims).ToArray();
        return Detach().Permute(perm).Contiguous();
    }

    private (Tensor Values, Tensor Indices) Extreme(int dim, bool keepDim, bool max)
    {
        var d = ShapeHelpers.NormalizeDim(dim, Rank);
        if (_shape[d] == 0)
        {
            throw new ArgumentException($"{(max ? "Max" : "Min")} over dimension {d} of shape {ShapeHelpers.Format(_shape)}, which is empty.", nameof(dim));
        }

        var (_, outShape, keptShape) = ReductionShapes([d], max ? "Max" : "Min");
        var moved = MoveToEnd([d]);
        var n = _shape[d];
        var rows = moved.Count / n;
        var indices = new long[rows];
        var values = Zeros(keptShape, DType);
        switch (DType)
        {
            case DType.Float32: ExtremeTyped(moved.AsSpan<float>(), n, max, indices, values.AsSpan<float>()); break;
            case DType.Float64: ExtremeTyped(moved.AsSpan<double>(), n, max, indices, values.AsSpan<double>()); break;
            case DType.Int64: ExtremeTyped(moved.AsSpan<long>(), n, max, indices, values.AsSpan<long>()); break;
            case DType.UInt64: ExtremeTyped(moved.AsSpan<ulong>(), n, max, indices, values.AsSpan<ulong>()); break;
            default: throw new ArgumentException($"{(max ? "Max" : "Min")} is not defined for Bool tensors.");
        }

        var idx = FromArray(indices, keptShape);
        var original = _shape;
        var v = values.Record(max ? "Max" : "Min", g =>
        {
            var full = Zeros(original, g.DType);
            var gk = g.Reshape(keptShape).Contiguous();
            var positions = full.GatherPositions(d, idx);
            if (g.DType == DType.Float32)
            {
                ScatterAdd(gk.AsSpan<float>(), positions, full.AsSpan<float>());
            }
            else
            {
                ScatterAdd(gk.AsSpan<double>(), positions, full.AsSpan<double>());
            }

            return [full];
        }, this);
        return keepDim ? (v, idx) : (v.Reshape(outShape), idx.Reshape(outShape));
    }

    private static void ExtremeTyped<T>(ReadOnlySpan<T> data, int n, bool max, long[] indices, Span<T> values)
        where T : INumber<T>
    {
        for (var r = 0; r < indices.Length; r++)
        {
            var row = data.Slice(r * n, n);
            var best = 0;
            for (var i = 1; i < n; i++)
            {
                if (T.IsNaN(row[best]))
                {
                    break;
                }

                if (max ? row[i] > row[best] || T.IsNaN(row[i]) : row[i] < row[best] || T.IsNaN(row[i]))
                {
                    best = i;
                }
            }

            indices[r] = best;
            values[r] = row[best];
        }
    }
}
