using Tessera.Kernels;

namespace Tessera;

public sealed partial class Tensor
{
    /// <summary>
    /// Matrix product with PyTorch's rules: 1-D operands are promoted to matrices; leading (batch) dimensions broadcast.
    /// Int64 and UInt64 wrap modulo 2^64 (the ring).
    /// </summary>
    /// <param name="other">The right operand; same dtype.</param>
    /// <exception cref="ArgumentException">The inner dimensions differ, the batch shapes do not broadcast, or the dtypes differ.</exception>
    public Tensor MatMul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        CheckSameDType(this, other, "MatMul");
        if (Rank == 0 || other.Rank == 0)
        {
            throw new ArgumentException($"MatMul needs at least one dimension: shapes {ShapeHelpers.Format(_shape)} and {ShapeHelpers.Format(other._shape)}.");
        }

        if (DType == DType.Bool)
        {
            throw new ArgumentException("MatMul is not defined for Bool tensors.");
        }

        var a = Rank == 1 ? Unsqueeze(0) : this;
        var b = other.Rank == 1 ? other.Unsqueeze(1) : other;
        var m = a._shape[^2];
        var k = a._shape[^1];
        var n = b._shape[^1];
        if (b._shape[^2] != k)
        {
            throw new ArgumentException(
                $"MatMul: inner dimensions differ: shapes {ShapeHelpers.Format(_shape)} and {ShapeHelpers.Format(other._shape)}.");
        }

        var batch = ShapeHelpers.Broadcast(a._shape.AsSpan(0, a.Rank - 2), b._shape.AsSpan(0, b.Rank - 2), "MatMul");
        var result = Zeros([.. batch, m, n], DType);
        MultiplyBatched(a.Detach(), b.Detach(), batch, m, n, k, result);

        var outShape = new List<int>(batch);
        if (Rank > 1)
        {
            outShape.Add(m);
        }

        if (other.Rank > 1)
        {
            outShape.Add(n);
        }

        var r = result.Reshape([.. outShape]);
        var self = this;
        return r.Record("MatMul", g =>
        {
            var g3 = g.Reshape([.. batch, m, n]);
            Tensor? ga = null;
            Tensor? gb = null;
            if (self.RequiresGrad)
            {
                ga = g3.MatMul(b.Transpose(-1, -2)).SumToShape(a._shape).Reshape(self._shape);
            }

            if (other.RequiresGrad)
            {
                // When B is a transposed view (x W^T in Linear), produce dB^T = g^T A in B's storage order, so the
                // gradient flows back through the transpose as a contiguous tensor instead of being copied twice.
                gb = b.Rank == 2 && a.Rank == 2 && b._strides[0] == 1 && b._shape[0] > 1
                    ? g3.Transpose(-1, -2).MatMul(a).Transpose(-1, -2).Reshape(other._shape)
                    : a.Transpose(-1, -2).MatMul(g3).SumToShape(b._shape).Reshape(other._shape);
            }

            return [ga, gb];
        }, this, other);
    }

    private static void MultiplyBatched(Tensor a, Tensor b, int[] batch, int m, int n, int k, Tensor result)
    {
        var batchCount = ShapeHelpers.CountOf(batch);
        var ae = a.Expand([.. batch, m, k]);
        var be = b.Expand([.. batch, k, n]);
        var (ta, lda, av) = MatrixLayout(ae);
        var (tb, ldb, bv) = MatrixLayout(be);
        var aOffsets = BatchOffsets(av, batch);
        var bOffsets = BatchOffsets(bv, batch);
        for (var i = 0; i < batchCount; i++)
        {
            var co = i * m * n;
            switch (a.DType)
            {
                case DType.Float32:
                    Gemm.Multiply(ta, tb, m, n, k, ((float[])av.Storage).AsSpan(aOffsets[i]), lda,
                        ((float[])bv.Storage).AsSpan(bOffsets[i]), ldb, result.AsSpan<float>().Slice(co, m * n), n);
                    break;
                case DType.Float64:
                    Gemm.Multiply(ta, tb, m, n, k, ((double[])av.Storage).AsSpan(aOffsets[i]), lda,
                        ((double[])bv.Storage).AsSpan(bOffsets[i]), ldb, result.AsSpan<double>().Slice(co, m * n), n);
                    break;
                case DType.Int64:
                    Gemm.Multiply(ta, tb, m, n, k, ((long[])av.Storage).AsSpan(aOffsets[i]), lda,
                        ((long[])bv.Storage).AsSpan(bOffsets[i]), ldb, result.AsSpan<long>().Slice(co, m * n), n);
                    break;
                default:
                    Gemm.Multiply(ta, tb, m, n, k, ((ulong[])av.Storage).AsSpan(aOffsets[i]), lda,
                        ((ulong[])bv.Storage).AsSpan(bOffsets[i]), ldb, result.AsSpan<ulong>().Slice(co, m * n), n);
                    break;
            }
        }
    }

    /// <summary>
    /// How GEMM should read the last two dims: directly (row stride), transposed (column stride), or from a contiguous
    /// copy when neither inner stride is 1.
    /// </summary>
    private static (bool Transposed, int Ld, Tensor View) MatrixLayout(Tensor t)
    {
        var rows = t._shape[^2];
        var cols = t._shape[^1];
        var rs = t._strides[^2];
        var cs = t._strides[^1];
        if ((cs == 1 || cols <= 1) && rs >= Math.Max(cols, 1))
        {
            return (false, Math.Max(rs, 1), t);
        }

        if ((rs == 1 || rows <= 1) && cs >= Math.Max(rows, 1))
        {
            return (true, Math.Max(cs, 1), t);
        }

        var copy = t.Contiguous();
        return (false, Math.Max(cols, 1), copy);
    }

    private static int[] BatchOffsets(Tensor t, int[] batch)
    {
        var count = ShapeHelpers.CountOf(batch);
        var offsets = new int[count];
        var idx = new int[batch.Length];
        for (var i = 0; i < count; i++)
        {
            var o = t.Offset;
            for (var d = 0; d < batch.Length; d++)
            {
                o += idx[d] * t._strides[d];
            }

            offsets[i] = o;
            for (var d = batch.Length - 1; d >= 0; d--)
            {
                if (++idx[d] < batch[d])
                {
                    break;
                }

                idx[d] = 0;
            }
        }

        return offsets;
    }
}
