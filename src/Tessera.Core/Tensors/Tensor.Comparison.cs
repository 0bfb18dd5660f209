using System.Numerics;

namespace Tessera;

public sealed partial class Tensor
{
    /// <summary>Elementwise x == y with broadcasting, as Bool.</summary>
    /// <param name="other">The other operand; same dtype.</param>
    public Tensor Eq(Tensor other) => Compare<EqAccept>(other, "Eq");

    /// <summary>Elementwise x != y with broadcasting, as Bool.</summary>
    /// <param name="other">The other operand; same dtype.</param>
    public Tensor Ne(Tensor other) => Compare<NeAccept>(other, "Ne");

    /// <summary>Elementwise x &lt; y with broadcasting, as Bool.</summary>
    /// <param name="other">The other operand; same dtype.</param>
    public Tensor Lt(Tensor other) => Compare<LtAccept>(other, "Lt");

    /// <summary>Elementwise x &lt;= y with broadcasting, as Bool.</summary>
    /// <param name="other">The other operand; same dtype.</param>
    public Tensor Le(Tensor other) => Compare<LeAccept>(other, "Le");

    /// <summary>Elementwise x &gt; y with broadcasting, as Bool.</summary>
    /// <param name="other">The other operand; same dtype.</param>
    public Tensor Gt(Tensor other) => Compare<GtAccept>(other, "Gt");

    /// <summary>Elementwise x &gt;= y with broadcasting, as Bool.</summary>
    /// <param name="other">The other operand; same dtype.</param>
    public Tensor Ge(Tensor other) => Compare<GeAccept>(other, "Ge");

    /// <summary>Elementwise x == value, as Bool.</summary>
    /// <param name="value">The scalar.</param>
    public Tensor Eq(double value) => Eq(ScalarLike(value));

    /// <summary>Elementwise x &lt; value, as Bool.</summary>
    /// <param name="value">The scalar.</param>
    public Tensor Lt(double value) => Lt(ScalarLike(value));

    /// <summary>Elementwise x &gt; value, as Bool.</summary>
    /// <param name="value">The scalar.</param>
    public Tensor Gt(double value) => Gt(ScalarLike(value));

    /// <summary>Elementwise x &lt;= value, as Bool.</summary>
    /// <param name="value">The scalar.</param>
    public Tensor Le(double value) => Le(ScalarLike(value));

    /// <summary>Elementwise x &gt;= value, as Bool.</summary>
    /// <param name="value">The scalar.</param>
    public Tensor Ge(double value) => Ge(ScalarLike(value));

    /// <summary>Elementwise logical not of a Bool tensor.</summary>
    public Tensor LogicalNot()
    {
        RequireBool("LogicalNot");
        var src = Contiguous().AsSpan<bool>();
        var result = new bool[src.Length];
        for (var i = 0; i < src.Length; i++)
        {
            result[i] = !src[i];
        }

        return FromArray(result, _shape);
    }

    /// <summary>Elementwise logical and of Bool tensors, with broadcasting.</summary>
    /// <param name="other">The other Bool tensor.</param>
    public Tensor LogicalAnd(Tensor other) => Logical(other, "LogicalAnd", static (x, y) => x && y);

    /// <summary>Elementwise logical or of Bool tensors, with broadcasting.</summary>
    /// <param name="other">The other Bool tensor.</param>
    public Tensor LogicalOr(Tensor other) => Logical(other, "LogicalOr", static (x, y) => x || y);

    /// <summary>Elementwise logical exclusive or of Bool tensors, with broadcasting.</summary>
    /// <param name="other">The other Bool tensor.</param>
    public Tensor LogicalXor(Tensor other) => Logical(other, "LogicalXor", static (x, y) => x ^ y);

    /// <summary>Whether every element is true (or non-zero).</summary>
    public bool All() => (DType == DType.Bool ? this : Ne(ScalarLike(0))).Contiguous().AsSpan<bool>().IndexOf(false) < 0;

    /// <summary>Whether any element is true (or non-zero).</summary>
    public bool Any() => (DType == DType.Bool ? this : Ne(ScalarLike(0))).Contiguous().AsSpan<bool>().IndexOf(true) >= 0;

    /// <summary>Whether the two tensors have the same shape and all elements within atol + rtol * |other|.</summary>
    /// <param name="other">The other tensor.</param>
    /// <param name="rtol">The relative tolerance.</param>
    /// <param name="atol">The absolute tolerance.</param>
    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ShapeHelpers.SameShape(_shape, other._shape))
        {
            return false;
        }

        var a = To(DType.Float64).Contiguous().AsSpan<double>();
        var b = other.To(DType.Float64).Contiguous().AsSpan<double>();
        for (var i = 0; i < a.Length; i++)
        {
            if (!(Math.Abs(a[i] - b[i]) <= atol + (rtol * Math.Abs(b[i]))))
            {
                return false;
            }
        }

        return true;
    }

    private Tensor Compare<TAccept>(Tensor other, string operation)
        where TAccept : IComparisonAccept
    {
        ArgumentNullException.ThrowIfNull(other);
        CheckSameDType(this, other, operation);
        var shape = ShapeHelpers.Broadcast(_shape, other._shape, operation);
        return DType switch
        {
            DType.Float32 => CompareTyped<float, TAccept>(this, other, shape),
            DType.Float64 => CompareTyped<double, TAccept>(this, other, shape),
            DType.Int64 => CompareTyped<long, TAccept>(this, other, shape),
            DType.UInt64 => CompareTyped<ulong, TAccept>(this, other, shape),
            _ => CompareBool<TAccept>(this, other, shape),
        };
    }

    private static Tensor CompareTyped<T, TAccept>(Tensor a, Tensor b, int[] shape)
        where T : unmanaged, INumber<T>
        where TAccept : IComparisonAccept
    {
        var x = a.Detach().Expand(shape).Contiguous().AsSpan<T>();
        var ys = b.Count == 1 ? null : b.Detach().Expand(shape).Contiguous();
        var scalar = b.Count == 1 ? b.Detach().Contiguous().AsSpan<T>()[0] : default;
        var y = ys is null ? default : ys.AsSpan<T>();
        var result = GC.AllocateUninitializedArray<bool>(x.Length);
        for (var i = 0; i < x.Length; i++)
        {
            var yi = ys is null ? scalar : y[i];
            // NaN compares unequal and unordered, as in IEEE: only Ne accepts it.
            result[i] = T.IsNaN(x[i]) || T.IsNaN(yi) ? TAccept.Unordered : TAccept.Accept(x[i].CompareTo(yi));
        }

        return FromArray(result, shape);
    }

    private static Tensor CompareBool<TAccept>(Tensor a, Tensor b, int[] shape)
        where TAccept : IComparisonAccept
    {
        var x = a.Expand(shape).Contiguous().AsSpan<bool>();
        var y = b.Expand(shape).Contiguous().AsSpan<bool>();
        var result = new bool[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            result[i] = TAccept.Accept(x[i].CompareTo(y[i]));
        }

        return FromArray(result, shape);
    }

    private Tensor Logical(Tensor other, string operation, Func<bool, bool, bool> op)
    {
        ArgumentNullException.ThrowIfNull(other);
        RequireBool(operation);
        other.RequireBool(operation);
        var shape = ShapeHelpers.Broadcast(_shape, other._shape, operation);
        var x = Expand(shape).Contiguous().AsSpan<bool>();
        var y = other.Expand(shape).Contiguous().AsSpan<bool>();
        var result = new bool[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            result[i] = op(x[i], y[i]);
        }

        return FromArray(result, shape);
    }

    private void RequireBool(string operation)
    {
        if (DType != DType.Bool)
        {
            throw new ArgumentException($"{operation} needs a Bool tensor; this one is {DType} {ShapeHelpers.Format(_shape)}.");
        }
    }
}

/// <summary>Which outcomes of CompareTo a comparison accepts, as a type so the loop inlines it.</summary>
internal interface IComparisonAccept
{
    /// <summary>What the comparison answers when either side is NaN.</summary>
    static abstract bool Unordered { get; }

    static abstract bool Accept(int comparison);
}

internal readonly struct EqAccept : IComparisonAccept
{
    public static bool Unordered => false;

    public static bool Accept(int c) => c == 0;
}

internal readonly struct NeAccept : IComparisonAccept
{
    public static bool Unordered => true;

    public static bool Accept(int c) => c != 0;
}

internal readonly struct LtAccept : IComparisonAccept
{
    public static bool Unordered => false;

    public static bool Accept(int c) => c < 0;
}

internal readonly struct LeAccept : IComparisonAccept
{
    public static bool Unordered => false;

    public static bool Accept(int c) => c <= 0;
}

internal readonly struct GtAccept : IComparisonAccept
{
    public static bool Unordered => false;

    public static bool Accept(int c) => c > 0;
}

internal readonly struct GeAccept : IComparisonAccept
{
    public static bool Unordered => false;

    public static bool Accept(int c) => c >= 0;
}
