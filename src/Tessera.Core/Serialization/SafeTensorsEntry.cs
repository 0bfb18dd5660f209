namespace Tessera.Serialization;

/// <summary>One tensor's header entry: dtype code, shape and [begin, end) offsets into the data buffer.</summary>
internal sealed record SafeTensorsEntry(string Name, string DTypeCode, int[] Shape, long Begin, long End)
{
    /// <summary>The dtype codes this reader understands and their element sizes.</summary>
    public static int SizeOf(string code) => code switch
    {
        "BOOL" or "U8" or "I8" => 1,
        "I16" or "U16" or "F16" or "BF16" => 2,
        "I32" or "U32" or "F32" => 4,
        "I64" or "U64" or "F64" => 8,
        _ => 0,
    };

    /// <summary>The code written for a Tessera dtype.</summary>
    public static string CodeOf(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Int64 => "I64",
        DType.UInt64 => "U64",
        _ => "BOOL",
    };

    /// <summary>
    /// The writer's sort rank: the reference implementation orders tensors by descending dtype (its enum runs BOOL, U8, I8,
    /// F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64), then by name, so data stays aligned.
    /// </summary>
    public static int WriteRank(DType dtype) => dtype switch
    {
        DType.UInt64 => 0,
        DType.Int64 => 1,
        DType.Float64 => 2,
        DType.Float32 => 3,
        _ => 4,
    };

    /// <summary>The Tessera dtype a file dtype is read into: narrower integers widen to Int64, halves to Float32.</summary>
    public static DType TargetOf(string code) => code switch
    {
        "F64" => DType.Float64,
        "F32" or "F16" or "BF16" => DType.Float32,
        "U64" => DType.UInt64,
        "BOOL" => DType.Bool,
        _ => DType.Int64,
    };

    /// <summary>The number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>The byte length of the data.</summary>
    public long ByteLength => End - Begin;
}
