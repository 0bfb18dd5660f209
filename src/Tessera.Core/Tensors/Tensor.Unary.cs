using Tessera.Kernels;

namespace Tessera;

public sealed partial class Tensor
{
    /// <summary>Elementwise e^x.</summary>
    public Tensor Exp()
    {
        var r = UnaryFloat<ExpOp<float>, ExpOp<double>>("Exp");
        return r.Record("Exp", g => [g.Mul(r)], this);
    }

    /// <summary>Elementwise natural logarithm.</summary>
    public Tensor Log()
    {
        var r = UnaryFloat<LogOp<float>, LogOp<double>>("Log");
        var a = this;
        return r.Record("Log", g => [g.Div(a)], this);
    }

    /// <summary>Elementwise square root.</summary>
    public Tensor Sqrt()
    {
        var r = UnaryFloat<SqrtOp<float>, SqrtOp<double>>("Sqrt");
        return r.Record("Sqrt", g => [g.Div(r.Mul(2))], this);
    }

    /// <summary>Elementwise 1/x.</summary>
    public Tensor Reciprocal()
    {
        var r = UnaryFloat<ReciprocalOp<float>, ReciprocalOp<double>>("Reciprocal");
        return r.Record("Reciprocal", g => [g.Mul(r).Mul(r).Neg()], this);
    }

    /// <summary>Elementwise sine.</summary>
    public Tensor Sin()
    {
        var r = UnaryFloat<SinOp<float>, SinOp<double>>("Sin");
        var a = this;
        return r.Record("Sin", g => [g.Mul(a.Cos())], this);
    }

    /// <summary>Elementwise cosine.</summary>
    public Tensor Cos()
    {
        var r = UnaryFloat<CosOp<float>, CosOp<double>>("Cos");
        var a = this;
        return r.Record("Cos", g => [g.Mul(a.Sin()).Neg()], this);
    }

    /// <summary>Elementwise hyperbolic tangent.</summary>
    public Tensor Tanh()
    {
        var r = UnaryFloat<TanhOp<float>, TanhOp<double>>("Tanh");
        return r.Record("Tanh", g => [g.Mul(r.Mul(r).Neg().Add(1))], this);
    }

    /// <summary>Elementwise logistic sigmoid 1 / (1 + e^-x).</summary>
    public Tensor Sigmoid()
    {
        var r = UnaryFloat<SigmoidOp<float>, SigmoidOp<double>>("Sigmoid");
        return r.Record("Sigmoid", g => [g.Mul(r).Mul(r.Neg().Add(1))], this);
    }

    /// <summary>Elementwise max(x, 0).</summary>
    public Tensor Relu()
    {
        var r = UnaryFloat<ReluOp<float>, ReluOp<double>>("Relu");
        return r.Record("Relu", g =>
        {
            var gc = g.Contiguous();
            var d = Empty(r._shape, r.DType);
            if (r.DType == DType.Float32)
            {
                ActivationKernels.ReluBackward<float>(r.AsSpan<float>(), gc.AsSpan<float>(), d.AsSpan<float>());
            }
            else
            {
                ActivationKernels.ReluBackward<double>(r.AsSpan<double>(), gc.AsSpan<double>(), d.AsSpan<double>());
            }

            return [d];
        }, this);
    }

    /// <summary>Elementwise GELU, 0.5 x (1 + erf(x / sqrt 2)).</summary>
    public Tensor Gelu()
    {
        var r = UnaryFloat<GeluOp<float>, GeluOp<double>>("Gelu");
        var a = this;
        return r.Record("Gelu", g =>
        {
            // d/dx = Phi(x) + x phi(x)
            var cdf = a.Div(Math.Sqrt(2)).Erf().Add(1).Mul(0.5);
            var pdf = a.Mul(a).Mul(-0.5).Exp().Mul(1 / Math.Sqrt(2 * Math.PI));
            return [g.Mul(cdf.Add(a.Mul(pdf)))];
        }, this);
    }

    /// <summary>Elementwise error function (no gradient).</summary>
    public Tensor Erf()
    {
        RequireFloat("Erf");
        var src = To(DType.Float64).Contiguous().AsSpan<double>();
        var result = new double[src.Length];
        for (var i = 0; i < src.Length; i++)
        {
            result[i] = SpecialFunctions.Erf(src[i]);
        }

        return FromArray(result, _shape).To(DType);
    }

    /// <summary>Elementwise absolute value; the gradient is sign(x).</summary>
    public Tensor Abs()
    {
        if (DType == DType.UInt64)
        {
            return Clone();
        }

        var r = Unary<AbsOp<float>, AbsOp<double>, AbsOp<long>>("Abs");
        var a = this;
        return r.Record("Abs", g => [g.Mul(a.Sign())], this);
    }

    /// <summary>Elementwise sign: -1, 0 or 1 (no gradient).</summary>
    public Tensor Sign()
    {
        var zero = ScalarLike(0);
        return Gt(zero).To(DType).Sub(Lt(zero).To(DType)).Detach();
    }

    /// <summary>Elementwise floor (no gradient).</summary>
    public Tensor Floor() => UnaryFloat<FloorOp<float>, FloorOp<double>>("Floor");

    /// <summary>Elementwise rounding to nearest, ties to even (no gradient).</summary>
    public Tensor Round() => UnaryFloat<RoundOp<float>, RoundOp<double>>("Round");

    /// <summary>Clamps every element to [min, max]; the gradient passes where the value was inside.</summary>
    /// <param name="min">The lower bound.</param>
    /// <param name="max">The upper bound; not below <paramref name="min"/>.</param>
    public Tensor Clamp(double min, double max)
    {
        if (min > max)
        {
            throw new ArgumentException($"Clamp: min {min} is greater than max {max}.", nameof(min));
        }

        var lo = ScalarLike(min);
        var hi = ScalarLike(max);
        var r = Binary<MinOp<float>, MinOp<double>, MinOp<long>, MinOp<ulong>>(
            Binary<MaxOp<float>, MaxOp<double>, MaxOp<long>, MaxOp<ulong>>(this, lo, "Clamp"), hi, "Clamp");
        var a = this;
        return r.Record("Clamp", g => [g.MaskedFill(a.Lt(lo).LogicalOr(a.Gt(hi)), 0)], this);
    }

    private Tensor UnaryFloat<TF, TD>(string operation)
        where TF : IUnaryOp<float>
        where TD : IUnaryOp<double>
    {
        RequireFloat(operation);
        return Unary<TF, TD, AbsOp<long>>(operation);
    }

    private Tensor Unary<TF, TD, TL>(string operation)
        where TF : IUnaryOp<float>
        where TD : IUnaryOp<double>
        where TL : IUnaryOp<long>
    {
        var src = Contiguous();
        var result = Empty(_shape, DType);
        if (Count == 0)
        {
            return result;
        }

        switch (DType)
        {
            case DType.Float32: TF.Invoke(src.AsSpan<float>(), result.AsSpan<float>()); break;
            case DType.Float64: TD.Invoke(src.AsSpan<double>(), result.AsSpan<double>()); break;
            case DType.Int64: TL.Invoke(src.AsSpan<long>(), result.AsSpan<long>()); break;
            default: throw new ArgumentException($"{operation} is not defined for {DType} tensors.");
        }

        return result;
    }
}
