namespace Tessera.Contracts;

/// <summary>
/// One column of a CSV dataset, or one tensor of a safetensors dataset, with the bounds every value lies within. The bounds
/// are declared by the publisher, checked on upload, and are what the mock twin is drawn from.
/// </summary>
/// <param name="Name">The CSV column name or the tensor name.</param>
/// <param name="Min">The smallest value allowed (inclusive).</param>
/// <param name="Max">The largest value allowed (inclusive).</param>
/// <param name="Shape">The tensor's shape, filled in by the node once the content is validated; null for CSV columns.</param>
/// <param name="DType">The tensor's element type as read (Float32, Float64, Int64, UInt64, Bool); null for CSV columns.</param>
public sealed record DatasetColumn(string Name, double Min, double Max, int[]? Shape = null, string? DType = null);
