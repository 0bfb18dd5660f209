using Tessera.Kernels;

namespace Tessera;

public sealed partial class Tensor
{
    /// <summary>Elementwise sum with broadcasting. Int64 and UInt64 wrap modulo 2^64.</summary>
    /// <param name="other">The other operand; same dtype, broadcastable shape.</param>
    /// <exception cref="ArgumentException">The dtypes differ or the shapes do not broadcast.</exception>
    public Tensor Add(Tensor other)
    {
        var result = Binary<AddOp<float>, AddOp<double>, AddOp<long>, AddOp<ulong>>(this, other, "Add");
        var (sa, sb) = (_shape, other._shape);
        return result.Record("Add", g => [g.SumToShape(sa), g.SumToShape(sb)], this, other);
    }

    /// <summary>Elementwise difference with broadcasting.</summary>
    /// <param name="other">The other operand; same dtype, broadcastable shape.</param>
    public Tensor Sub(Tensor other)
    {
        var result = Binary<SubtractOp<float>, SubtractOp<double>, SubtractOp<long>, SubtractOp<ulong>>(this, other, "Sub");
        var (sa, sb) = (_shape, other._shape);
        return result.Record("Sub", g => [g.SumToShape(sa), other.RequiresGrad ? g.Neg().SumToShape(sb) : null], this, other);
    }

    /// <summary>Elementwise product with broadcasting.</summary>
    /// <param name="other">The other operand; same dtype, broadcastable shape.</param>
    public Tensor Mul(Tensor other)
    {
        var result = Binary<MultiplyOp<float>, MultiplyOp<double>, MultiplyOp<long>, MultiplyOp<ulong>>(this, other, "Mul");
        var a = this;
        return result.Record("Mul", g =>
        [
            a.RequiresGrad ? g.Mul(other).SumToShape(a._shape) : null,
            other.RequiresGrad ? g.Mul(a).SumToShape(other._shape) : null,
        ], this, other);
    }

    /// <summary>Elementwise quotient with broadcasting (integer division truncates).</summary>
    /// <param name="other">The divisor; same dtype, broadcastable shape.</param>
    public Tensor Div(Tensor other)
    {
        var result = Binary<DivideOp<float>, DivideOp<double>, DivideOp<long>, DivideOp<ulong>>(this, other, "Div");
        var a = this;
        return result.Record("Div", g =>
        [
            a.RequiresGrad ? g.Div(other).SumToShape(a._shape) : null,
            other.RequiresGrad ? g.Mul(a).Div(other.Mul(other)).Neg().SumToShape(other._shape) : null,
        ], this, other);
    }

    /// <summary>Elementwise maximum with broadcasting; the gradient goes to the larger operand (the first on ties).</summary>
    /// <param name="other">The other operand.</param>
    public Tensor Maximum(Tensor other)
    {
        var result = Binary<MaxOp<float>, MaxOp<double>, MaxOp<long>, MaxOp<ulong>>(this, other, "Maximum");
        var a = this;
        return result.Record("Maximum", g =>
        {
            var mask = a.Ge(other);
            return [g.MaskedFill(mask.LogicalNot(), 0).SumToShape(a._shape), g.MaskedFill(mask, 0).SumToShape(other._shape)];
        }, this, other);
    }

    /// <summary>Elementwise minimum with broadcasting; the gradient goes to the smaller operand (the first on ties).</summary>
    /// <param name="other">The other operand.</param>
    public Tensor Minimum(Tensor other)
    {
        var result = Binary<MinOp<float>, MinOp<double>, MinOp<long>, MinOp<ulong>>(this, other, "Minimum");
        var a = this;
        return result.Record("Minimum", g =>
        {
            var mask = a.Le(other);
            return [g.MaskedFill(mask.LogicalNot(), 0).SumToShape(a._shape), g.MaskedFill(mask, 0).SumToShape(other._shape)];
        }, this, other);
    }

    /// <summary>Elementwise power with broadcasting (floating point only).</summary>
    /// <param name="exponent">The exponent tensor.</param>
    public Tensor Pow(Tensor exponent)
    {
        RequireFloat("Pow");
        var result = Binary<PowOp<float>, PowOp<double>, AddOp<long>, AddOp<ulong>>(this, exponent, "Pow");
        var a = this;
        return result.Record("Pow", g =>
        [
            a.RequiresGrad ? g.Mul(exponent).Mul(a.Pow(exponent.Sub(exponent.OnesLike()))).SumToShape(a._shape) : null,
            exponent.RequiresGrad ? g.Mul(result).Mul(a.Log()).SumToShape(exponent._shape) : null,
        ], this, exponent);
    }

    /// <summary>Adds a scalar.</summary>
    /// <param name="value">The scalar, converted to this dtype.</param>
    public Tensor Add(double value) => Add(ScalarLike(value));

    /// <summary>Subtracts a scalar.</summary>
    /// <param name="value">The scalar, converted to this dtype.</param>
    public Tensor Sub(double value) => Sub(ScalarLike(value));

    /// <summary>Multiplies by a scalar.</summary>
    /// <param name="value">The scalar, converted to this dtype.</param>
    public Tensor Mul(double value) => Mul(ScalarLike(value));

    /// <summary>Divides by a scalar.</summary>
    /// <param name="value">The scalar, converted to this dtype.</param>
    public Tensor Div(double value) => Div(ScalarLike(value));

    /// <summary>Raises every element to a scalar power (floating point only).</summary>
    /// <param name="exponent">The exponent.</param>
    public Tensor Pow(double exponent)
    {
        RequireFloat("Pow");
        if (exponent == 2)
        {
            return Mul(this);
        }

        var result = Binary<PowOp<float>, PowOp<double>, AddOp<long>, AddOp<ulong>>(this, ScalarLike(exponent), "Pow");
        var a = this;
        return result.Record("Pow", g => [g.Mul(a.Pow(exponent - 1)).Mul(exponent)], this);
    }

    /// <summary>Elementwise negation (wraps for UInt64: the additive inverse in the ring).</summary>
    public Tensor Neg()
    {
        var result = Binary<SubtractOp<float>, SubtractOp<double>, SubtractOp<long>, SubtractOp<ulong>>(ScalarLike(0), this, "Neg");
        return result.Record("Neg", g => [g.Neg()], this);
    }

    /// <summary>Adds <paramref name="other"/> into this tensor in place (no gradient is recorded).</summary>
    /// <param name="other">Values broadcastable to this shape.</param>
    /// <param name="alpha">A scale applied to <paramref name="other"/> first.</param>
    public void AddInPlace(Tensor other, double alpha = 1)
    {
        ArgumentNullException.ThrowIfNull(other);
        var sum = Binary<AddOp<float>, AddOp<double>, AddOp<long>, AddOp<ulong>>(this, alpha == 1 ? other : other.Detach().Mul(alpha), "AddInPlace");
        if (!ShapeHelpers.SameShape(sum._shape, _shape))
        {
            throw new ArgumentException($"AddInPlace: {ShapeHelpers.Format(other._shape)} broadcasts {ShapeHelpers.Format(_shape)} to a larger shape.");
        }

        CopyInto(sum, this);
    }

#pragma warning disable CS1591 // The operators mirror the named methods documented above.
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);

    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);

    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);

    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);

    public static Tensor operator +(Tensor a, double b) => a.Add(b);

    public static Tensor operator -(Tensor a, double b) => a.Sub(b);

    public static Tensor operator *(Tensor a, double b) => a.Mul(b);

    public static Tensor operator /(Tensor a, double b) => a.Div(b);

    public static Tensor operator *(double a, Tensor b) => b.Mul(a);

    public static Tensor operator +(double a, Tensor b) => b.Add(a);

    public static Tensor operator -(double a, Tensor b) => b.Neg().Add(a);

    public static Tensor operator -(Tensor a) => a.Neg();
#pragma warning restore CS1591

    /// <summary>A scalar of this tensor's dtype.</summary>
    internal Tensor ScalarLike(double value) => Full([], value, DType);

    internal void RequireFloat(string operation)
    {
        if (!IsFloatingPoint)
        {
            throw new ArgumentException($"{operation} needs Float32 or Float64; this tensor is {DType} {ShapeHelpers.Format(_shape)}.");
        }
    }

    internal static Tensor Binary<TF, TD, TL, TU>(Tensor a, Tensor b, string operation)
        where TF : IBinaryOp<float>
        where TD : IBinaryOp<double>
        where TL : IBinaryOp<long>
        where TU : IBinaryOp<ulong>
    {
        ArgumentNullException.ThrowIfNull(b);
        CheckSameDType(a, b, operation);
        var shape = ShapeHelpers.Broadcast(a._shape, b._shape, operation);
        var result = Empty(shape, a.DType);
        var xs = StridedLayout.BroadcastStrides(a._shape, a._strides, shape);
        var ys = StridedLayout.BroadcastStrides(b._shape, b._strides, shape);
        switch (a.DType)
        {
            case DType.Float32:
                BinaryDriver.Run<float, TF>((float[])a.Storage, a.Offset, xs, (float[])b.Storage, b.Offset, ys, shape, result.AsSpan<float>());
                break;
            case DType.Float64:
                BinaryDriver.Run<double, TD>((double[])a.Storage, a.Offset, xs, (double[])b.Storage, b.Offset, ys, shape, result.AsSpan<double>());
                break;
            case DType.Int64:
                BinaryDriver.Run<long, TL>((long[])a.Storage, a.Offset, xs, (long[])b.Storage, b.Offset, ys, shape, result.AsSpan<long>());
                break;
            case DType.UInt64:
                BinaryDriver.Run<ulong, TU>((ulong[])a.Storage, a.Offset, xs, (ulong[])b.Storage, b.Offset, ys, shape, result.AsSpan<ulong>());
                break;
            default:
                throw new ArgumentException($"{operation} is not defined for Bool tensors; use LogicalAnd/LogicalOr or convert with To().");
        }

        return result;
    }
}
