using Tessera.Data;
using Tessera.Node.Datasets;
using Tessera.Node.Objects;
using Tessera.Serialization;

namespace Tessera.Node.Plans;

/// <summary>Runs a compiled plan with Tessera.Core's tensor operations, without gradients, within a time limit.</summary>
internal static class PlanRunner
{
    public static Tensor[] Run(List<PlanNode> nodes, int[] outputs, PlanSources sources, DatasetBlobStore blobs, DatasetFileCache files,
        CancellationToken cancellationToken)
    {
        using var _ = Autograd.NoGrad();
        var values = new Tensor[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var node = nodes[i];
            var step = node.Step;
            Tensor X(int k) => values[node.Inputs[k]];
            Tensor Other() => node.Inputs.Length == 2 ? X(1) : Tensor.Scalar(step.Scalar!.Value, DType.Float64);
            int[] Dims() => step.Dims is null ? [.. Enumerable.Range(0, X(0).Rank)] : [.. step.Dims];
            var keep = step.KeepDim == true;
            values[i] = step.Op switch
            {
                "column" => Column(sources.Datasets[step.Dataset!], step.Column!, files, blobs),
                "object" => ObjectStore.Read(blobs, sources.Objects[step.Object!]),
                "neg" => X(0).Neg(),
                "abs" => X(0).Abs(),
                "exp" => X(0).Exp(),
                "log" => X(0).Log(),
                "sqrt" => X(0).Sqrt(),
                "not" => X(0).LogicalNot(),
                "and" => X(0).LogicalAnd(X(1)),
                "or" => X(0).LogicalOr(X(1)),
                "add" => X(0).Add(Other()),
                "sub" => X(0).Sub(Other()),
                "mul" => X(0).Mul(Other()),
                "div" => X(0).Div(Other()),
                "eq" => X(0).Eq(Other()),
                "ne" => X(0).Ne(Other()),
                "lt" => X(0).Lt(Other()),
                "le" => X(0).Le(Other()),
                "gt" => X(0).Gt(Other()),
                "ge" => X(0).Ge(Other()),
                "sum" => X(0).Sum(Dims(), keep),
                "mean" => X(0).Mean(Dims(), keep),
                "var" => X(0).Var(Dims(), unbiased: true, keepDim: keep),
                "std" => X(0).Std(Dims(), unbiased: true, keepDim: keep),
                "min" => Reduce(X(0), Dims(), keep, max: false),
                "max" => Reduce(X(0), Dims(), keep, max: true),
                "matmul" => X(0).MatMul(X(1)),
                "transpose" => X(0).T.Contiguous(),
                "stack" => Tensor.Stack([.. node.Inputs.Select(k => values[k])], step.Dims is { Count: > 0 } ? step.Dims[0] : 0),
                "filter" => Filter(X(0), X(1)),
                "narrow" => X(0).Narrow(step.Dims is { Count: > 0 } ? step.Dims[0] : 0, step.Start!.Value, step.Length!.Value).Contiguous(),
                "select" => X(0).Select(step.Dims is { Count: > 0 } ? step.Dims[0] : 0, step.Start!.Value).Contiguous(),
                _ => throw new InvalidOperationException($"Compiled plan holds an unknown op '{step.Op}'."),
            };
        }

        return [.. outputs.Select(o => values[o].Contiguous())];
    }

    /// <summary>A CSV column, or a safetensors tensor as Float64, from the node's cache of parsed dataset files.</summary>
    internal static Tensor Column(DatasetRecord dataset, string column, DatasetFileCache files, DatasetBlobStore blobs)
    {
        var file = files.Get(dataset, blobs);
        if (file is SafeTensorsFile tensors)
        {
            var tensor = tensors.Tensors[column];
            return tensor.DType == DType.Float64 ? tensor.Clone() : tensor.To(DType.Float64);
        }

        // A fresh array per call: the cached table is shared and must stay unwritten.
        var values = ((CsvTable)file).Column(column);
        return Tensor.FromArray(values, values.Length);
    }

    private static Tensor Reduce(Tensor x, int[] dims, bool keep, bool max)
    {
        // A filter may leave no rows (the compiler cannot know): the private result is NaN, as for the mean of nothing.
        var normal = dims.Select(d => d < 0 ? d + x.Rank : d).ToHashSet();
        if (normal.Any(d => x.Size(d) == 0))
        {
            var shape = Enumerable.Range(0, x.Rank).Where(d => keep || !normal.Contains(d)).Select(d => normal.Contains(d) ? 1 : x.Size(d)).ToArray();
            return Tensor.Full(shape, double.NaN, DType.Float64);
        }

        // Min/max over several dims: one at a time, from the last, keeping dims so the indices stay valid.
        var result = x;
        foreach (var d in dims.Select(d => d < 0 ? d + x.Rank : d).OrderDescending())
        {
            result = max ? result.Max(d, keepDim: true).Values : result.Min(d, keepDim: true).Values;
        }

        if (!keep)
        {
            var shape = Enumerable.Range(0, x.Rank).Where(d => !dims.Select(v => v < 0 ? v + x.Rank : v).Contains(d)).Select(d => x.Size(d)).ToArray();
            result = result.Reshape(shape);
        }

        return result;
    }

    private static Tensor Filter(Tensor x, Tensor mask)
    {
        var keep = mask.ToArray<bool>();
        var rows = new List<long>();
        for (var r = 0; r < keep.Length; r++)
        {
            if (keep[r])
            {
                rows.Add(r);
            }
        }

        return x.IndexSelect(0, Tensor.FromArray(rows.ToArray(), rows.Count));
    }
}
