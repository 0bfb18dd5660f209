using System.Numerics.Tensors;

namespace Tessera;

public sealed partial class Tensor
{
    /// <summary>Softmax along <paramref name="dim"/>: exp(x - max) / sum(exp(x - max)).</summary>
    /// <param name="dim">The dimension that sums to one.</param>
    public Tensor Softmax(int dim = -1)
    {
        RequireFloat("Softmax");
        var d = ShapeHelpers.NormalizeDim(dim, Rank);
        var y = RowWise(d, logarithmic: false);
        return y.Record("Softmax", g =>
        {
            // dx = y * (g - sum(g * y))
            var dot = g.Mul(y).Sum(d, keepDim: true);
            return [y.Mul(g.Sub(dot))];
        }, this);
    }

    /// <summary>Log-softmax along <paramref name="dim"/>, computed stably: x - max - log(sum(exp(x - max))).</summary>
    /// <param name="dim">The dimension.</param>
    public Tensor LogSoftmax(int dim = -1)
    {
        RequireFloat("LogSoftmax");
        var d = ShapeHelpers.NormalizeDim(dim, Rank);
        var y = RowWise(d, logarithmic: true);
        return y.Record("LogSoftmax", g =>
        {
            // dx = g - softmax * sum(g)
            var sum = g.Sum(d, keepDim: true);
            return [g.Sub(y.Exp().Mul(sum))];
        }, this);
    }

    /// <summary>Elementwise x for x &gt; 0, slope * x otherwise.</summary>
    /// <param name="negativeSlope">The slope for negative inputs.</param>
    public Tensor LeakyRelu(double negativeSlope = 0.01)
    {
        RequireFloat("LeakyRelu");
        var negative = Detach().Lt(0);
        var scale = Where(negative, ScalarLike(negativeSlope).Expand(_shape), OnesLike());
        var r = Detach().Mul(scale);
        return r.Record("LeakyRelu", g => [g.Mul(scale)], this);
    }

    /// <summary>Softmax or log-softmax along <paramref name="d"/>, a contiguous row at a time with TensorPrimitives.</summary>
    private Tensor RowWise(int d, bool logarithmic)
    {
        var last = d == Rank - 1;
        var src = last ? Detach().Contiguous() : Detach().Transpose(d, -1).Contiguous();
        var result = src.ZerosLike();
        var n = _shape[d];
        if (n > 0 && Count > 0)
        {
            if (DType == DType.Float32)
            {
                RowWiseTyped(src.AsSpan<float>(), result.AsSpan<float>(), n, logarithmic);
            }
            else
            {
                RowWiseTyped(src.AsSpan<double>(), result.AsSpan<double>(), n, logarithmic);
            }
        }

        return last ? result : result.Transpose(d, -1).Contiguous();
    }

    private static void RowWiseTyped<T>(ReadOnlySpan<T> src, Span<T> dst, int n, bool logarithmic)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        for (var o = 0; o < src.Length; o += n)
        {
            var x = src.Slice(o, n);
            var y = dst.Slice(o, n);
            var max = TensorPrimitives.Max(x);
            TensorPrimitives.Subtract(x, max, y);
            if (logarithmic)
            {
                var shifted = y;
                var lse = T.Zero;
                for (var i = 0; i < n; i++)
                {
                    lse += T.Exp(shifted[i]);
                }

                TensorPrimitives.Subtract(y, T.Log(lse), y);
            }
            else
            {
                TensorPrimitives.Exp(y, y);
                var sum = TensorPrimitives.Sum<T>(y);
                TensorPrimitives.Divide(y, sum, y);
            }
        }
    }
}
