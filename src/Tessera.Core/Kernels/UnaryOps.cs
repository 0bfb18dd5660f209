using System.Numerics;
using System.Numerics.Tensors;

namespace Tessera.Kernels;

internal readonly struct ExpOp<T> : IUnaryOp<T>
    where T : IExponentialFunctions<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Exp(x, d);
}

internal readonly struct LogOp<T> : IUnaryOp<T>
    where T : ILogarithmicFunctions<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Log(x, d);
}

internal readonly struct SqrtOp<T> : IUnaryOp<T>
    where T : IRootFunctions<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sqrt(x, d);
}

internal readonly struct AbsOp<T> : IUnaryOp<T>
    where T : INumberBase<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Abs(x, d);
}

internal readonly struct TanhOp<T> : IUnaryOp<T>
    where T : IHyperbolicFunctions<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Tanh(x, d);
}

internal readonly struct SigmoidOp<T> : IUnaryOp<T>
    where T : IExponentialFunctions<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sigmoid(x, d);
}

internal readonly struct ReluOp<T> : IUnaryOp<T>
    where T : INumber<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Max(x, T.Zero, d);
}

internal readonly struct SinOp<T> : IUnaryOp<T>
    where T : ITrigonometricFunctions<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sin(x, d);
}

internal readonly struct CosOp<T> : IUnaryOp<T>
    where T : ITrigonometricFunctions<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Cos(x, d);
}

internal readonly struct ReciprocalOp<T> : IUnaryOp<T>
    where T : IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Reciprocal(x, d);
}

internal readonly struct FloorOp<T> : IUnaryOp<T>
    where T : IFloatingPoint<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Floor(x, d);
}

internal readonly struct RoundOp<T> : IUnaryOp<T>
    where T : IFloatingPoint<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Round(x, d);
}

/// <summary>GELU with the exact erf form, 0.5 x (1 + erf(x / sqrt 2)), as PyTorch's default.</summary>
internal readonly struct GeluOp<T> : IUnaryOp<T>
    where T : IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d)
    {
        for (var i = 0; i < x.Length; i++)
        {
            var v = double.CreateTruncating(x[i]);
            d[i] = T.CreateTruncating(0.5 * v * (1 + SpecialFunctions.Erf(v / Math.Sqrt(2))));
        }
    }
}
