namespace Tessera;

/// <summary>The element type of a tensor.</summary>
public enum DType
{
    /// <summary>32-bit IEEE floating point; the default for learning.</summary>
    Float32,

    /// <summary>64-bit IEEE floating point.</summary>
    Float64,

    /// <summary>64-bit signed integer (indices, labels).</summary>
    Int64,

    /// <summary>64-bit unsigned integer with wrapping arithmetic: the ring Z_2^64 used by secure computation.</summary>
    UInt64,

    /// <summary>Boolean (masks, comparison results).</summary>
    Bool,
}
