namespace Tessera;

/// <summary>Maps CLR element types to <see cref="DType"/> values and back.</summary>
public static class DTypes
{
    /// <summary>The dtype whose elements are <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">float, double, long, ulong or bool.</typeparam>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a tensor element type.</exception>
    public static DType Of<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return DType.Float32;
        }

        if (typeof(T) == typeof(double))
        {
            return DType.Float64;
        }

        if (typeof(T) == typeof(long))
        {
            return DType.Int64;
        }

        if (typeof(T) == typeof(ulong))
        {
            return DType.UInt64;
        }

        if (typeof(T) == typeof(bool))
        {
            return DType.Bool;
        }

        throw new NotSupportedException($"{typeof(T).Name} is not a tensor element type; use float, double, long, ulong or bool.");
    }

    /// <summary>The size in bytes of one element.</summary>
    /// <param name="dtype">The dtype.</param>
    public static int ElementSize(DType dtype) => dtype switch
    {
        DType.Float32 => 4,
        DType.Bool => 1,
        _ => 8,
    };

    /// <summary>A new zeroed storage array of <paramref name="length"/> elements of <paramref name="dtype"/>.</summary>
    internal static Array Allocate(DType dtype, int length) => dtype switch
    {
        DType.Float32 => new float[length],
        DType.Float64 => new double[length],
        DType.Int64 => new long[length],
        DType.UInt64 => new ulong[length],
        DType.Bool => new bool[length],
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };
}
