namespace Tessera.Contracts;

/// <summary>
/// A plan: a list of steps from the node's allow-list, each naming its inputs by earlier step ids, run in one request.
/// No code travels: only op names, ids and numbers.
/// </summary>
/// <param name="Steps">The steps, in order; each step's inputs must be earlier steps.</param>
/// <param name="Outputs">The ids of the steps whose results become new private objects.</param>
public sealed record PlanRequest(IReadOnlyList<PlanStep> Steps, IReadOnlyList<string> Outputs);

/// <summary>One step of a plan.</summary>
/// <param name="Id">The step's name within the plan (1 to 32 letters, digits, '-' or '_').</param>
/// <param name="Op">
/// The operation: <c>column</c> (a CSV dataset's column or a safetensors dataset's tensor: <paramref name="Dataset"/>,
/// <paramref name="Column"/>),
/// <c>object</c> (an existing private object: <paramref name="Object"/>), <c>neg abs exp log sqrt</c>,
/// <c>add sub mul div eq ne lt le gt ge</c> (two inputs, or one input and <paramref name="Scalar"/>), <c>and or not</c> on Bool,
/// <c>sum mean min max var std</c> (over <paramref name="Dims"/>, all when null, with <paramref name="KeepDim"/>),
/// <c>matmul</c>, <c>transpose</c>, <c>stack</c> (inputs of one shape along <c>Dims[0]</c>, default 0),
/// <c>filter</c> (the rows of the first input where the second, a Bool vector, is true; how many is private, so the result's
/// rows can be reduced or transformed elementwise but not indexed or lined up with other tensors), and the indexing ops
/// <c>narrow</c> (<paramref name="Length"/> entries from <paramref name="Start"/> along <c>Dims[0]</c>) and <c>select</c>
/// (entry <paramref name="Start"/> along <c>Dims[0]</c>, removing that dimension).
/// </param>
/// <param name="Inputs">Earlier step ids.</param>
/// <param name="Dataset">For <c>column</c>: the dataset id.</param>
/// <param name="Column">For <c>column</c>: the column name.</param>
/// <param name="Object">For <c>object</c>: the object id.</param>
/// <param name="Scalar">For a binary op with one input: the other operand.</param>
/// <param name="Dims">For reductions and <c>stack</c>: the dimensions.</param>
/// <param name="KeepDim">For reductions: keep reduced dimensions with size 1.</param>
/// <param name="Start">For <c>narrow</c> and <c>select</c>: the first index (negative counts from the end).</param>
/// <param name="Length">For <c>narrow</c>: how many entries.</param>
public sealed record PlanStep(
    string Id, string Op, IReadOnlyList<string>? Inputs = null, string? Dataset = null, string? Column = null, string? Object = null,
    double? Scalar = null, IReadOnlyList<int>? Dims = null, bool? KeepDim = null, int? Start = null, int? Length = null);

/// <summary>What running a plan made: one new private object per output, described but never shown.</summary>
/// <param name="Outputs">The new objects, in the order of <see cref="PlanRequest.Outputs"/>.</param>
public sealed record PlanResponse(IReadOnlyList<ObjectInfo> Outputs);

/// <summary>A private object's description.</summary>
/// <param name="Id">The object's unguessable id.</param>
/// <param name="DType">Float64 or Bool.</param>
/// <param name="Shape">The shape.</param>
/// <param name="CreatedBy">The user whose plan made it.</param>
/// <param name="DatasetIds">The datasets its values derive from.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="RowsUpperBound">
/// True when the first size of <paramref name="Shape"/> is only an upper bound: the rows passed a filter, and how many did is
/// private until the values may be read.
/// </param>
public sealed record ObjectInfo(string Id, string DType, IReadOnlyList<int> Shape, string CreatedBy, IReadOnlyList<string> DatasetIds,
    DateTimeOffset CreatedAt, bool RowsUpperBound = false);

/// <summary>A private object's values, for a caller allowed to read them.</summary>
/// <param name="Id">The object id.</param>
/// <param name="DType">Float64 or Bool (as 0 and 1).</param>
/// <param name="Shape">The shape.</param>
/// <param name="Values">The values in row-major order.</param>
public sealed record ObjectValue(string Id, string DType, IReadOnlyList<int> Shape, IReadOnlyList<double> Values);
