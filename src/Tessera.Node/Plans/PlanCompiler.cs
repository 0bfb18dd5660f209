using System.Collections.Frozen;
using Tessera.Contracts;
using Tessera.Node.Datasets;
using Tessera.Node.Objects;

namespace Tessera.Node.Plans;

/// <summary>
/// Checks a plan against the allow-list and infers every step's dtype and shape, so absurd or malformed plans are refused
/// before any data is loaded or any memory allocated. Errors name the step and what was wrong, never a value.
/// </summary>
internal static class PlanCompiler
{
    private static readonly FrozenSet<string> Unary = new[] { "neg", "abs", "exp", "log", "sqrt" }.ToFrozenSet();
    private static readonly FrozenSet<string> Arithmetic = new[] { "add", "sub", "mul", "div" }.ToFrozenSet();
    private static readonly FrozenSet<string> Comparison = new[] { "eq", "ne", "lt", "le", "gt", "ge" }.ToFrozenSet();
    private static readonly FrozenSet<string> Reduction = new[] { "sum", "mean", "min", "max", "var", "std" }.ToFrozenSet();
    private static readonly FrozenSet<string> Logical = new[] { "and", "or" }.ToFrozenSet();

    private const string HiddenRows = "its rows come from a filter, and how many matched stays private";

    public static IReadOnlyCollection<string> AllowedOps { get; } =
        [.. new[] { "column", "object", "matmul", "transpose", "stack", "filter", "narrow", "select", "not" }
            .Concat(Unary).Concat(Arithmetic).Concat(Comparison).Concat(Reduction).Concat(Logical)];

    /// <summary>The ids of the datasets and objects a plan names (for loading before <see cref="Compile"/>).</summary>
    public static (HashSet<string> Datasets, HashSet<string> Objects) References(PlanRequest plan) =>
        ([.. plan.Steps.Where(s => s?.Op == "column" && s.Dataset is not null).Select(s => s.Dataset!)],
         [.. plan.Steps.Where(s => s?.Op == "object" && s.Object is not null).Select(s => s.Object!)]);

    /// <summary>Validates the plan; returns the nodes and output indices, or the problem.</summary>
    public static (List<PlanNode>? Nodes, int[]? Outputs, string? Problem) Compile(PlanRequest? plan, PlanSources sources)
    {
        if (plan?.Steps is null || plan.Outputs is null)
        {
            return Fail("A plan needs 'steps' and 'outputs'.");
        }

        if (plan.Steps.Count is 0 or > PlanLimits.MaxSteps)
        {
            return Fail($"A plan has 1 to {PlanLimits.MaxSteps} steps.");
        }

        if (plan.Outputs.Count is 0 or > PlanLimits.MaxOutputs)
        {
            return Fail($"A plan has 1 to {PlanLimits.MaxOutputs} outputs.");
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var nodes = new List<PlanNode>();
        long total = 0;
        foreach (var step in plan.Steps)
        {
            if (step is null || !IsName(step.Id))
            {
                return Fail($"Step {nodes.Count + 1}: 'id' must be 1 to 32 letters, digits, '-' or '_'.");
            }

            if (index.ContainsKey(step.Id))
            {
                return Fail($"Step '{step.Id}' is defined twice.");
            }

            var inputs = new List<int>();
            foreach (var name in step.Inputs ?? [])
            {
                if (name is null || !index.TryGetValue(name, out var i))
                {
                    return Fail($"Step '{step.Id}': input '{Short(name)}' is not an earlier step.");
                }

                inputs.Add(i);
            }

            var (node, problem) = Infer(step, [.. inputs], nodes, sources);
            if (problem is not null)
            {
                return Fail($"Step '{step.Id}' ({Short(step.Op)}): {problem}");
            }

            if (node!.Count > PlanLimits.MaxElementsPerStep)
            {
                return Fail($"Step '{step.Id}' would hold {node.Count} elements; the limit is {PlanLimits.MaxElementsPerStep}.");
            }

            total += node.Count;
            if (total > PlanLimits.MaxTotalElements)
            {
                return Fail($"The plan would hold more than {PlanLimits.MaxTotalElements} elements in all.");
            }

            index[step.Id] = nodes.Count;
            nodes.Add(node);
        }

        var outputs = new int[plan.Outputs.Count];
        for (var o = 0; o < outputs.Length; o++)
        {
            if (plan.Outputs[o] is null || !index.TryGetValue(plan.Outputs[o], out outputs[o]))
            {
                return Fail($"Output '{Short(plan.Outputs[o])}' is not a step.");
            }
        }

        return (nodes, outputs, null);
    }

    /// <remarks>
    /// A filter's result has a data-dependent number of rows. Its shape is known only as an upper bound (the rows before
    /// filtering), and the node never reveals the real count before approval: not in the object's description, not through
    /// an error. So a step may reduce over such rows or apply elementwise operations to them, but not line them up against
    /// another tensor's dimension, index them, transpose them or filter them again (combine the conditions with
    /// <c>and</c>/<c>or</c> and filter once).
    /// </remarks>
    private static (PlanNode? Node, string? Problem) Infer(PlanStep step, int[] inputs, List<PlanNode> nodes, PlanSources sources)
    {
        PlanNode Make(bool isBool, int[] shape, bool rowsHidden = false) =>
            new(step, inputs, isBool, shape, inputs.SelectMany(i => nodes[i].DatasetIds).ToHashSet(StringComparer.Ordinal), rowsHidden);

        PlanNode In(int k) => nodes[inputs[k]];

        switch (step.Op)
        {
            case "column":
                if (inputs.Length != 0 || step.Dataset is null || step.Column is null)
                {
                    return (null, "needs 'dataset' and 'column' and no inputs.");
                }

                if (!sources.Datasets.TryGetValue(step.Dataset, out var dataset))
                {
                    return (null, "no dataset with that id is visible to you.");
                }

                var column = DatasetViews.ReadSchema(dataset.SchemaJson).FirstOrDefault(c => c.Name == step.Column);
                if (column is null)
                {
                    return (null, $"the dataset has no {(dataset.Format == DatasetFormat.Csv ? "column" : "tensor")} '{Short(step.Column)}'.");
                }

                int[]? columnShape = dataset.Format switch
                {
                    DatasetFormat.Csv when dataset.Rows is { } rows => [(int)rows],
                    DatasetFormat.SafeTensors when column.Shape is { } shape && column.DType is not "Bool" => [.. shape],
                    _ => null,
                };
                return columnShape is null
                    ? (null, $"'{Short(step.Column)}' is not a numeric column or tensor.")
                    : (new PlanNode(step, inputs, false, columnShape, new HashSet<string>([dataset.Id], StringComparer.Ordinal)), null);

            case "object":
                if (inputs.Length != 0 || step.Object is null)
                {
                    return (null, "needs 'object' and no inputs.");
                }

                if (!sources.Objects.TryGetValue(step.Object, out var obj))
                {
                    return (null, "no object with that id is visible to you.");
                }

                return (new PlanNode(step, inputs, obj.DType == "Bool", ObjectShapes.Parse(obj.Shape),
                    obj.DatasetIds.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
                    ObjectShapes.HasHiddenRows(obj.Shape)), null);

            case var op when Unary.Contains(op):
                return inputs.Length != 1 ? (null, "takes one input.")
                    : In(0).IsBool ? (null, "takes a numeric input, not Bool.")
                    : (Make(false, In(0).Shape, In(0).RowsHidden), null);

            case "not":
                return inputs.Length != 1 || !In(0).IsBool ? (null, "takes one Bool input.")
                    : (Make(true, In(0).Shape, In(0).RowsHidden), null);

            case var op when Arithmetic.Contains(op) || Comparison.Contains(op) || Logical.Contains(op):
                {
                    var isLogical = Logical.Contains(op);
                    var isBool = !Arithmetic.Contains(op);
                    if (inputs.Length == 1 && step.Scalar is { } scalar && !isLogical)
                    {
                        return !double.IsFinite(scalar) ? (null, "'scalar' must be finite.")
                            : In(0).IsBool ? (null, "takes numeric inputs.")
                            : (Make(isBool, In(0).Shape, In(0).RowsHidden), null);
                    }

                    if (inputs.Length != 2 || step.Scalar is not null)
                    {
                        return (null, isLogical ? "takes two Bool inputs." : "takes two inputs, or one input and 'scalar'.");
                    }

                    if (isLogical ? !In(0).IsBool || !In(1).IsBool : In(0).IsBool || In(1).IsBool)
                    {
                        return (null, isLogical ? "takes two Bool inputs." : "takes numeric inputs.");
                    }

                    var shape = Broadcast(In(0).Shape, In(1).Shape);
                    if (shape is null)
                    {
                        return (null, $"shapes {Format(In(0).Shape)} and {Format(In(1).Shape)} do not broadcast.");
                    }

                    var hidden = HiddenBroadcastProblem(In(0), In(1), shape.Length) ?? HiddenBroadcastProblem(In(1), In(0), shape.Length);
                    return hidden is not null ? (null, hidden) : (Make(isBool, shape, In(0).RowsHidden || In(1).RowsHidden), null);
                }

            case var op when Reduction.Contains(op):
                {
                    if (inputs.Length != 1 || In(0).IsBool)
                    {
                        return (null, "takes one numeric input.");
                    }

                    var rank = In(0).Shape.Length;
                    var dims = step.Dims ?? [.. Enumerable.Range(0, rank)];
                    var normal = new SortedSet<int>();
                    foreach (var d in dims)
                    {
                        var n = d < 0 ? d + rank : d;
                        if (n < 0 || n >= rank || !normal.Add(n))
                        {
                            return (null, $"'dims' must be distinct dimensions of a rank-{rank} input.");
                        }
                    }

                    if (normal.Any(d => In(0).Shape[d] == 0) && op is "min" or "max")
                    {
                        return (null, "cannot take min or max over an empty dimension.");
                    }

                    var keep = step.KeepDim == true;
                    var shape = Enumerable.Range(0, rank).Where(d => keep || !normal.Contains(d)).Select(d => normal.Contains(d) ? 1 : In(0).Shape[d]).ToArray();
                    return (Make(false, shape, In(0).RowsHidden && !normal.Contains(0)), null);
                }

            case "matmul":
                {
                    if (inputs.Length != 2 || In(0).IsBool || In(1).IsBool)
                    {
                        return (null, "takes two numeric inputs.");
                    }

                    var (a, b) = (In(0).Shape, In(1).Shape);
                    if (a.Length is < 1 or > 2 || b.Length is < 1 or > 2)
                    {
                        return (null, "takes vectors or matrices.");
                    }

                    if (In(1).RowsHidden || (In(0).RowsHidden && a.Length == 1))
                    {
                        return (null, $"cannot contract over rows of unknown count: {HiddenRows}. Reduce or combine before filtering.");
                    }

                    var k = a[^1];
                    if (k != b[0])
                    {
                        return (null, $"inner dimensions differ: {Format(a)} and {Format(b)}.");
                    }

                    var m = a.Length == 2 ? a[0] : 1;
                    var n = b.Length == 2 ? b[1] : 1;
                    if (2.0 * m * n * k > PlanLimits.MaxMatMulFlops)
                    {
                        return (null, $"would take more than {PlanLimits.MaxMatMulFlops:G3} floating-point operations.");
                    }

                    int[] shape = (a.Length, b.Length) switch { (2, 2) => [m, n], (2, 1) => [m], (1, 2) => [n], _ => [] };
                    return (Make(false, shape, In(0).RowsHidden), null);
                }

            case "transpose":
                return inputs.Length != 1 || In(0).Shape.Length != 2 ? (null, "takes one matrix.")
                    : In(0).RowsHidden ? (null, $"cannot transpose: {HiddenRows}. Transpose before filtering.")
                    : (Make(In(0).IsBool, [In(0).Shape[1], In(0).Shape[0]]), null);

            case "stack":
                {
                    if (inputs.Length is 0 or > 1024)
                    {
                        return (null, "takes 1 to 1024 inputs.");
                    }

                    var first = In(0);
                    if (inputs.Any(i => nodes[i].IsBool != first.IsBool || !nodes[i].Shape.SequenceEqual(first.Shape)))
                    {
                        return (null, "takes inputs of one shape and dtype.");
                    }

                    if (inputs.Any(i => nodes[i].RowsHidden))
                    {
                        return (null, $"cannot stack an input whose {HiddenRows}. Stack before filtering.");
                    }

                    var dim = step.Dims is { Count: > 0 } ? step.Dims[0] : 0;
                    var rank = first.Shape.Length + 1;
                    dim = dim < 0 ? dim + rank : dim;
                    if (dim < 0 || dim >= rank)
                    {
                        return (null, $"'dims'[0] must be a dimension of the rank-{rank} result.");
                    }

                    var shape = first.Shape.ToList();
                    shape.Insert(dim, inputs.Length);
                    return (Make(first.IsBool, [.. shape]), null);
                }

            case "filter":
                {
                    if (inputs.Length != 2 || !In(1).IsBool || In(1).Shape.Length != 1 || In(0).Shape.Length < 1 || In(0).Shape[0] != In(1).Shape[0])
                    {
                        return (null, "takes a tensor and a Bool vector as long as its first dimension.");
                    }

                    if (In(0).RowsHidden || In(1).RowsHidden)
                    {
                        return (null, $"cannot filter again: {HiddenRows}. Combine the conditions with 'and' or 'or' and filter once.");
                    }

                    return (Make(In(0).IsBool, In(0).Shape, rowsHidden: true), null);
                }

            case "narrow" or "select":
                {
                    if (inputs.Length != 1 || In(0).Shape.Length == 0)
                    {
                        return (null, "takes one input of rank 1 or more.");
                    }

                    var shape = In(0).Shape;
                    var dim = step.Dims is { Count: > 0 } ? step.Dims[0] : 0;
                    dim = dim < 0 ? dim + shape.Length : dim;
                    if (dim < 0 || dim >= shape.Length || step.Start is not { } start)
                    {
                        return (null, $"needs 'start' and, in 'dims'[0], a dimension of the rank-{shape.Length} input.");
                    }

                    if (dim == 0 && In(0).RowsHidden)
                    {
                        return (null, $"cannot index dimension 0: {HiddenRows}.");
                    }

                    var size = shape[dim];
                    var first = start < 0 ? start + size : start;
                    var length = step.Op == "select" ? 1 : step.Length ?? -1;
                    if (first < 0 || length < 0 || (long)first + length > size)
                    {
                        return (null, $"the range leaves dimension {dim} of size {size}.");
                    }

                    var result = shape.ToList();
                    if (step.Op == "select")
                    {
                        result.RemoveAt(dim);
                    }
                    else
                    {
                        result[dim] = length;
                    }

                    return (Make(In(0).IsBool, [.. result], In(0).RowsHidden), null);
                }

            default:
                return (null, $"'{Short(step.Op)}' is not an allowed operation. Allowed: {string.Join(", ", AllowedOps.Order(StringComparer.Ordinal))}.");
        }
    }

    /// <summary>Refuses a broadcast that would line <paramref name="x"/>'s hidden rows up against a real dimension of the other input.</summary>
    private static string? HiddenBroadcastProblem(PlanNode x, PlanNode other, int rank)
    {
        if (!x.RowsHidden)
        {
            return null;
        }

        if (x.Shape.Length != rank)
        {
            return $"the input whose {HiddenRows} must have the higher rank, so its rows stay the first dimension.";
        }

        var j = other.Shape.Length - rank;
        return j < 0 || (j == 0 && !other.RowsHidden && other.Shape[0] == 1) ? null
            : $"cannot line up rows of unknown count with another input's dimension of size {other.Shape[0]}: {HiddenRows}. Combine before filtering.";
    }

    private static int[]? Broadcast(int[] a, int[] b)
    {
        var rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            var db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
            {
                return null;
            }

            result[i] = da == 1 ? db : da;
        }

        return result;
    }

    private static bool IsName(string? s) => s is { Length: > 0 and <= 32 } && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Short(string? s) => s is null ? "(null)" : s.Length <= 40 ? s : s[..40] + "...";

    private static string Format(int[] shape) => "[" + string.Join(", ", shape) + "]";

    private static (List<PlanNode>?, int[]?, string?) Fail(string problem) => (null, null, problem);
}
