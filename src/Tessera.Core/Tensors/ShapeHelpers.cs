using System.Diagnostics.CodeAnalysis;

namespace Tessera;

/// <summary>Shape arithmetic shared by tensor operations.</summary>
internal static class ShapeHelpers
{
    public static int CountOf(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (var s in shape)
        {
            count *= s;
            if (count > Array.MaxLength)
            {
                throw new ArgumentException($"A tensor of shape {Format(shape)} has more elements than one array can hold.");
            }
        }

        return (int)count;
    }

    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        var stride = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= Math.Max(shape[i], 1);
        }

        return strides;
    }

    public static bool IsContiguous(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        var expected = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 0)
            {
                return true;
            }

            if (shape[i] != 1 && strides[i] != expected)
            {
                return false;
            }

            expected *= shape[i];
        }

        return true;
    }

    public static int NormalizeDim(int dim, int rank)
    {
        var d = dim < 0 ? dim + rank : dim;
        if ((uint)d >= (uint)rank)
        {
            ThrowDim(dim, rank);
        }

        return d;
    }

    public static void CheckShape(ReadOnlySpan<int> shape, string paramName)
    {
        foreach (var s in shape)
        {
            if (s < 0)
            {
                throw new ArgumentException($"Shape {Format(shape)} has a negative dimension.", paramName);
            }
        }

        _ = CountOf(shape);
    }

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>The broadcast shape of two shapes (NumPy rules), or an exception naming both.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string operation)
    {
        var rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            var db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException($"{operation}: shapes {Format(a)} and {Format(b)} cannot be broadcast together.");
            }

            result[i] = da == 1 ? db : da;
        }

        return result;
    }

    [DoesNotReturn]
    private static void ThrowDim(int dim, int rank) =>
        throw new ArgumentOutOfRangeException(nameof(dim), dim, $"Dimension {dim} is out of range for a tensor of rank {rank}.");
}
