namespace Tessera;

public sealed partial class Tensor
{
    /// <summary>Wraps <paramref name="data"/> (without copying) as a contiguous tensor of the given shape.</summary>
    /// <typeparam name="T">float, double, long, ulong or bool.</typeparam>
    /// <param name="data">The elements in row-major order; the tensor shares this array.</param>
    /// <param name="shape">The shape; its element count must equal the array's length. Empty means a scalar.</param>
    /// <exception cref="ArgumentException">The shape's element count differs from the array's length, or is negative.</exception>
    public static Tensor FromArray<T>(T[] data, params int[] shape)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        var dtype = DTypes.Of<T>();
        ShapeHelpers.CheckShape(shape, nameof(shape));
        var count = ShapeHelpers.CountOf(shape);
        if (count != data.Length)
        {
            throw new ArgumentException(
                $"Shape {ShapeHelpers.Format(shape)} holds {count} elements but the array has {data.Length}.", nameof(shape));
        }

        var s = (int[])shape.Clone();
        return new Tensor(data, dtype, s, ShapeHelpers.ContiguousStrides(s), 0);
    }

    /// <summary>A one-dimensional tensor holding a copy of <paramref name="values"/>.</summary>
    /// <typeparam name="T">float, double, long, ulong or bool.</typeparam>
    /// <param name="values">The values.</param>
    public static Tensor FromSpan<T>(ReadOnlySpan<T> values)
        where T : unmanaged => FromArray(values.ToArray(), values.Length);

    /// <summary>A zero-dimensional tensor holding <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    /// <param name="dtype">The dtype; floating point by default.</param>
    public static Tensor Scalar(double value, DType dtype = DType.Float32) => Full([], value, dtype);

    /// <summary>A new tensor of zeros.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="dtype">The dtype.</param>
    /// <exception cref="ArgumentException">A dimension is negative.</exception>
    public static Tensor Zeros(ReadOnlySpan<int> shape, DType dtype = DType.Float32)
    {
        ShapeHelpers.CheckShape(shape, nameof(shape));
        var s = shape.ToArray();
        return new Tensor(DTypes.Allocate(dtype, ShapeHelpers.CountOf(s)), dtype, s, ShapeHelpers.ContiguousStrides(s), 0);
    }

    /// <summary>A new contiguous tensor whose elements are not initialised: only for results that are fully overwritten.</summary>
    internal static Tensor Empty(ReadOnlySpan<int> shape, DType dtype)
    {
        var s = shape.ToArray();
        var count = ShapeHelpers.CountOf(s);
        Array storage = dtype switch
        {
            DType.Float32 => GC.AllocateUninitializedArray<float>(count),
            DType.Float64 => GC.AllocateUninitializedArray<double>(count),
            DType.Int64 => GC.AllocateUninitializedArray<long>(count),
            DType.UInt64 => GC.AllocateUninitializedArray<ulong>(count),
            _ => GC.AllocateUninitializedArray<bool>(count),
        };
        return new Tensor(storage, dtype, s, ShapeHelpers.ContiguousStrides(s), 0);
    }

    /// <summary>A new tensor of ones.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="dtype">The dtype.</param>
    public static Tensor Ones(ReadOnlySpan<int> shape, DType dtype = DType.Float32) => Full(shape, 1, dtype);

    /// <summary>A new tensor with every element equal to <paramref name="value"/>.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="value">The value, converted to <paramref name="dtype"/>.</param>
    /// <param name="dtype">The dtype.</param>
    public static Tensor Full(ReadOnlySpan<int> shape, double value, DType dtype = DType.Float32)
    {
        var t = Zeros(shape, dtype);
        switch (dtype)
        {
            case DType.Float32: ((float[])t.Storage).AsSpan().Fill((float)value); break;
            case DType.Float64: ((double[])t.Storage).AsSpan().Fill(value); break;
            case DType.Int64: ((long[])t.Storage).AsSpan().Fill((long)value); break;
            case DType.UInt64: ((ulong[])t.Storage).AsSpan().Fill(unchecked((ulong)(long)value)); break;
            default: ((bool[])t.Storage).AsSpan().Fill(value != 0); break;
        }

        return t;
    }

    /// <summary>A new tensor of zeros with this tensor's shape and dtype.</summary>
    public Tensor ZerosLike() => Zeros(_shape, DType);

    /// <summary>A new tensor of ones with this tensor's shape and dtype.</summary>
    public Tensor OnesLike() => Ones(_shape, DType);

    /// <summary>The values start, start + step, ... below end.</summary>
    /// <param name="start">The first value.</param>
    /// <param name="end">The exclusive end.</param>
    /// <param name="step">The step; not zero.</param>
    /// <param name="dtype">The dtype.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is zero.</exception>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Int64)
    {
        if (step == 0 || double.IsNaN(step))
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "Arange needs a non-zero step.");
        }

        var n = Math.Max(0, (int)Math.Ceiling((end - start) / step));
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = start + (i * step);
        }

        return FromArray(values, n).To(dtype);
    }

    /// <summary>Uniform values in [low, high) from <paramref name="random"/>.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="random">The random source.</param>
    /// <param name="low">The inclusive lower bound.</param>
    /// <param name="high">The exclusive upper bound.</param>
    /// <param name="dtype">Float32 or Float64.</param>
    public static Tensor Uniform(ReadOnlySpan<int> shape, IRandomSource random, double low = 0, double high = 1, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckFloatDType(dtype, nameof(dtype));
        var t = Zeros(shape, DType.Float64);
        var d = (double[])t.Storage;
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = low + ((high - low) * random.NextDouble());
        }

        return t.To(dtype);
    }

    /// <summary>Normal values with the given mean and standard deviation from <paramref name="random"/>.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="random">The random source.</param>
    /// <param name="mean">The mean.</param>
    /// <param name="std">The standard deviation; not negative.</param>
    /// <param name="dtype">Float32 or Float64.</param>
    public static Tensor Normal(ReadOnlySpan<int> shape, IRandomSource random, double mean = 0, double std = 1, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(std);
        CheckFloatDType(dtype, nameof(dtype));
        var t = Zeros(shape, DType.Float64);
        var d = (double[])t.Storage;
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = mean + (std * random.NextGaussian());
        }

        return t.To(dtype);
    }

    /// <summary>Uniform integers in [low, high) from <paramref name="random"/>, as Int64.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="random">The random source.</param>
    /// <param name="low">The inclusive lower bound.</param>
    /// <param name="high">The exclusive upper bound; greater than <paramref name="low"/>.</param>
    public static Tensor RandInt(ReadOnlySpan<int> shape, IRandomSource random, long low, long high)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(high, low);
        var t = Zeros(shape, DType.Int64);
        var d = (long[])t.Storage;
        var range = (ulong)(high - low);
        var limit = ulong.MaxValue - (ulong.MaxValue % range);
        for (var i = 0; i < d.Length; i++)
        {
            ulong r;
            do
            {
                r = random.NextUInt64();
            }
            while (r >= limit);
            d[i] = low + (long)(r % range);
        }

        return t;
    }

    internal static void CheckFloatDType(DType dtype, string paramName)
    {
        if (dtype is not (DType.Float32 or DType.Float64))
        {
            throw new ArgumentException($"This operation needs Float32 or Float64, not {dtype}.", paramName);
        }
    }
}
