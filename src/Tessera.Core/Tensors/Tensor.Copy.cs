using Tessera.Kernels;

namespace Tessera;

public sealed partial class Tensor
{
    /// <summary>A contiguous copy with its own storage. Gradients flow through the copy.</summary>
    public Tensor Clone()
    {
        var result = Empty(_shape, DType);
        CopyInto(this, result);
        return result.Record("Clone", g => [g], this);
    }

    /// <summary>Converts to another dtype (a copy; this tensor when the dtype already matches).</summary>
    /// <param name="dtype">The target dtype.</param>
    /// <remarks>Float to integer truncates toward zero; UInt64 from a negative value wraps (two's complement).</remarks>
    public Tensor To(DType dtype)
    {
        if (dtype == DType)
        {
            return this;
        }

        var src = Contiguous();
        var result = Zeros(_shape, dtype);
        ConvertElements(src, result);
        if (IsFloatingPoint && result.IsFloatingPoint)
        {
            var from = DType;
            result.Record("To", g => [g.To(from)], this);
        }

        return result;
    }

    /// <summary>Copies the values of <paramref name="source"/> (broadcast to this tensor's shape) into this tensor in place.</summary>
    /// <param name="source">The values; same dtype, broadcastable to this shape.</param>
    /// <exception cref="ArgumentException">The dtypes differ or the shapes do not broadcast.</exception>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckSameDType(this, source, "CopyFrom");
        var expanded = source.Expand(_shape);
        CopyInto(expanded, this);
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> of the same shape and dtype, both strided.</summary>
    internal static void CopyInto(Tensor source, Tensor destination)
    {
        switch (source.DType)
        {
            case DType.Float32: CopyTyped<float>(source, destination); break;
            case DType.Float64: CopyTyped<double>(source, destination); break;
            case DType.Int64: CopyTyped<long>(source, destination); break;
            case DType.UInt64: CopyTyped<ulong>(source, destination); break;
            default: CopyTyped<bool>(source, destination); break;
        }
    }

    private static void CopyTyped<T>(Tensor source, Tensor destination)
        where T : unmanaged
    {
        var src = (T[])source.Storage;
        var dst = (T[])destination.Storage;
        if (source.Count == 0)
        {
            return;
        }

        if (source.IsContiguous && destination.IsContiguous)
        {
            src.AsSpan(source.Offset, source.Count).CopyTo(dst.AsSpan(destination.Offset, destination.Count));
            return;
        }

        var layout = new StridedLayout(source._shape, source._strides, destination._strides);
        var n = layout.InnerLength;
        var ss = layout.InnerStride(0);
        var ds = layout.InnerStride(1);
        var so = new int[layout.OuterCount];
        var dOff = new int[layout.OuterCount];
        layout.RunOffsets(0, so);
        layout.RunOffsets(1, dOff);
        for (var r = 0; r < so.Length; r++)
        {
            var s = source.Offset + so[r];
            var d = destination.Offset + dOff[r];
            if (ss == 1 && ds == 1)
            {
                src.AsSpan(s, n).CopyTo(dst.AsSpan(d, n));
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    dst[d + (i * ds)] = src[s + (i * ss)];
                }
            }
        }
    }

    private static void ConvertElements(Tensor src, Tensor dst)
    {
        // Both contiguous. Convert through double for floats; integers keep all 64 bits.
        switch (src.DType, dst.DType)
        {
            case (DType.Float32, DType.Float64):
                System.Numerics.Tensors.TensorPrimitives.ConvertChecked<float, double>(src.AsSpan<float>(), dst.AsSpan<double>());
                return;
            case (DType.Float64, DType.Float32):
                System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<double, float>(src.AsSpan<double>(), dst.AsSpan<float>());
                return;
            case (DType.Int64, DType.UInt64):
                src.AsSpan<long>().CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<ulong, long>(dst.AsSpan<ulong>()));
                return;
            case (DType.UInt64, DType.Int64):
                src.AsSpan<ulong>().CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<long, ulong>(dst.AsSpan<long>()));
                return;
        }

        var n = src.Count;
        for (var i = 0; i < n; i++)
        {
            dst.SetFromDouble(i, src.GetAsDouble(i), src.GetAsInt64(i));
        }
    }

    /// <summary>Element <paramref name="i"/> of a contiguous tensor as double.</summary>
    private double GetAsDouble(int i) => DType switch
    {
        DType.Float32 => ((float[])Storage)[Offset + i],
        DType.Float64 => ((double[])Storage)[Offset + i],
        DType.Int64 => ((long[])Storage)[Offset + i],
        DType.UInt64 => ((ulong[])Storage)[Offset + i],
        _ => ((bool[])Storage)[Offset + i] ? 1 : 0,
    };

    private long GetAsInt64(int i) => DType switch
    {
        DType.Float32 => (long)((float[])Storage)[Offset + i],
        DType.Float64 => (long)((double[])Storage)[Offset + i],
        DType.Int64 => ((long[])Storage)[Offset + i],
        DType.UInt64 => unchecked((long)((ulong[])Storage)[Offset + i]),
        _ => ((bool[])Storage)[Offset + i] ? 1 : 0,
    };

    private void SetFromDouble(int i, double value, long integer)
    {
        switch (DType)
        {
            case DType.Float32: ((float[])Storage)[Offset + i] = (float)value; break;
            case DType.Float64: ((double[])Storage)[Offset + i] = value; break;
            case DType.Int64: ((long[])Storage)[Offset + i] = integer; break;
            case DType.UInt64: ((ulong[])Storage)[Offset + i] = unchecked((ulong)integer); break;
            default: ((bool[])Storage)[Offset + i] = value != 0; break;
        }
    }

    internal static void CheckSameDType(Tensor a, Tensor b, string operation)
    {
        if (a.DType != b.DType)
        {
            throw new ArgumentException(
                $"{operation}: dtypes differ: {a.DType} {ShapeHelpers.Format(a._shape)} and {b.DType} {ShapeHelpers.Format(b._shape)}. "
                + "Convert one with To(dtype).");
        }
    }
}
