using System.Numerics;
using System.Numerics.Tensors;

namespace Tessera.Kernels;

/// <summary>A binary elementwise operation with scalar and span forms, so a broadcast driver can pick the fastest.</summary>
internal interface IBinaryOp<T>
{
    static abstract T Invoke(T x, T y);

    static abstract void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);

    static abstract void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination);

    static abstract void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination);
}

/// <summary>A unary elementwise operation over spans.</summary>
internal interface IUnaryOp<T>
{
    static abstract void Invoke(ReadOnlySpan<T> x, Span<T> destination);
}

// ulong and long arithmetic wraps on overflow: that is exactly the ring Z_2^64 that secret sharing needs.
internal readonly struct AddOp<T> : IBinaryOp<T>
    where T : INumber<T>
{
    public static T Invoke(T x, T y) => unchecked(x + y);

    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Add(x, y, d);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Add(x, y, d);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Add(y, x, d);
}

internal readonly struct SubtractOp<T> : IBinaryOp<T>
    where T : INumber<T>
{
    public static T Invoke(T x, T y) => unchecked(x - y);

    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
}

internal readonly struct MultiplyOp<T> : IBinaryOp<T>
    where T : INumber<T>
{
    public static T Invoke(T x, T y) => unchecked(x * y);

    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Multiply(x, y, d);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Multiply(x, y, d);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Multiply(y, x, d);
}

internal readonly struct DivideOp<T> : IBinaryOp<T>
    where T : INumber<T>
{
    public static T Invoke(T x, T y) => x / y;

    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Divide(x, y, d);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Divide(x, y, d);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
}

internal readonly struct MaxOp<T> : IBinaryOp<T>
    where T : INumber<T>
{
    public static T Invoke(T x, T y) => T.Max(x, y);

    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Max(x, y, d);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Max(x, y, d);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Max(y, x, d);
}

internal readonly struct MinOp<T> : IBinaryOp<T>
    where T : INumber<T>
{
    public static T Invoke(T x, T y) => T.Min(x, y);

    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Min(x, y, d);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Min(x, y, d);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Min(y, x, d);
}

internal readonly struct PowOp<T> : IBinaryOp<T>
    where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => T.Pow(x, y);

    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Pow(x, y, d);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Pow(x, y, d);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Pow(x, y, d);
}

/// <summary>Runs a binary operation over two broadcast, strided operands into a contiguous result.</summary>
internal static class BinaryDriver
{
    public static void Run<T, TOp>(T[] x, int xOffset, int[] xStrides, T[] y, int yOffset, int[] yStrides, int[] shape, Span<T> destination)
        where TOp : IBinaryOp<T>
    {
        if (destination.IsEmpty)
        {
            return;
        }

        var layout = new StridedLayout(shape, xStrides, yStrides, ShapeHelpers.ContiguousStrides(shape));
        var n = layout.InnerLength;
        var sx = layout.InnerStride(0);
        var sy = layout.InnerStride(1);
        var runs = layout.OuterCount;
        var xo = new int[runs];
        var yo = new int[runs];
        var dO = new int[runs];
        layout.RunOffsets(0, xo);
        layout.RunOffsets(1, yo);
        layout.RunOffsets(2, dO);
        for (var r = 0; r < runs; r++)
        {
            var d = destination.Slice(dO[r], n);
            var xs = xOffset + xo[r];
            var ys = yOffset + yo[r];
            if (sx == 1 && sy == 1)
            {
                TOp.Invoke(x.AsSpan(xs, n), y.AsSpan(ys, n), d);
            }
            else if (sx == 1 && sy == 0)
            {
                TOp.Invoke(x.AsSpan(xs, n), y[ys], d);
            }
            else if (sx == 0 && sy == 1)
            {
                TOp.Invoke(x[xs], y.AsSpan(ys, n), d);
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    d[i] = TOp.Invoke(x[xs + (i * sx)], y[ys + (i * sy)]);
                }
            }
        }
    }
}
