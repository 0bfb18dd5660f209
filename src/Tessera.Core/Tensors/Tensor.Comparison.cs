using System.Numerics;

namespace Tessera;

public sealed partial class Tensor
{
    /// <summary>Elementwise x == y with broadcasting, as Bool.</summary>
    /// <param name="other">The other operand; same dtype.</param>
    public Tensor Eq(Tensor other) => Compare(other, "Eq", static c => c == 0);

    /// <summary>Elementwise x != y with broadcasting, as Bool.</summary>
    /// <param name="other">The other operand; same dtype.</param>
    public Tensor Ne(Tensor other) => Compare(other, "Ne", static c => c != 0);

    /// <summary>Elementwise x &lt; y with broadcasting, as Bool.</summary>
    /// <param name="other">The other operand; same dtype.</param>
    public Tensor Lt(Tensor other) => Compare(other, "Lt", static c => c < 0);

    /// <summary>Elementwise x &lt;= y with broadcasting, as Bool.</summary>
    /// <param name="other">The other operand; same dtype.</param>
    public Tensor Le(Tensor other) => Compare(other, "Le", static c => c <= 0);

    /// <summary>Elementwise x &gt; y with broadcasting, as Bool.</summary>
    /// <param name="other">The other operand; same dtype.</param>
    public Tensor Gt(Tensor other) => Compare(other, "Gt", static c => c > 0);

    /// <summary>Elementwise x &gt;= y with broadcasting, as Bool.</summary>
    /// <param name="other">The other operand; same dtype.</param>
    public Tensor Ge(Tensor other) => Compare(other, "Ge", static c => c >= 0);

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

    private Tensor Compare(Tensor other, string operation, Func<int, bool> accept)
    {
        ArgumentNullException.ThrowIfNull(other);
        CheckSameDType(this, other, operation);
        var shape = ShapeHelpers.Broadcast(_shape, other._shape, operation);
        return DType switch
        {
            DType.Float32 => CompareTyped<float>(this, other, shape, accept),
            DType.Float64 => CompareTyped<double>(this, other, shape, accept),
            DType.Int64 => CompareTyped<long>(this, other, shape, accept),
            DType.UInt64 => CompareTyped<ulong>(this, other, shape, accept),
            _ => CompareBool(this, other, shape, accept),
        };
    }

    private static Tensor CompareTyped<T>(Tensor a, Tensor b, int[] shape, Func<int, bool> accept)
        where T : unmanaged, INumber<T>
    {
        var x = a.Detach().Expand(shape).Contiguous().AsSpan<T>();
        var y = b.Detach().Expand(shape).Contiguous().AsSpan<T>();
        var result = new bool[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            // NaN compares unequal and unordered, as in IEEE: only Ne accepts it.
            var c = T.IsNaN(x[i]) || T.IsNaN(y[i]) ? int.MinValue : x[i].CompareTo(y[i]);
            result[i] = c == int.MinValue ? accept(1) && accept(-1) : accept(c);
        }

        return FromArray(result, shape);
    }

    private static Tensor CompareBool(Tensor a, Tensor b, int[] shape, Func<int, bool> accept)
    {
        var x = a.Expand(shape).Contiguous().AsSpan<bool>();
        var y = b.Expand(shape).Contiguous().AsSpan<bool>();
        var result = new bool[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            result[i] = accept(x[i].CompareTo(y[i]));
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
