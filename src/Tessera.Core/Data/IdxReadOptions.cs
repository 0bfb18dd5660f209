namespace Tessera.Data;

/// <summary>How <see cref="IdxReader"/> converts the elements of an IDX file.</summary>
public sealed record IdxReadOptions
{
    /// <summary>
    /// Divide unsigned-byte elements by 255 so they lie in [0, 1]; the result is Float32 unless <see cref="DType"/> says
    /// Float64. Only valid for files whose element type is unsigned byte (0x08), such as MNIST images.
    /// </summary>
    public bool ScaleToUnitRange { get; init; }

    /// <summary>
    /// The dtype of the result: Float32, Float64 or Int64 (integer files only). When null, integer element types become
    /// Int64 (Float32 with <see cref="ScaleToUnitRange"/>), float becomes Float32 and double becomes Float64.
    /// </summary>
    public DType? DType { get; init; }

    /// <summary>The most elements a file may declare; larger declarations are rejected before anything is allocated.</summary>
    public long MaxElements { get; init; } = Array.MaxLength;
}
