namespace Tessera.Core.Tests.Tensors;

public class TensorViewTests
{
    private static Tensor Seq(params int[] shape)
    {
        var n = shape.Aggregate(1, (a, b) => a * b);
        return Tensor.FromArray(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), shape);
    }

    [Fact]
    public void Reshape_InfersDimension() => Assert.Equal(new[] { 3, 4 }, Seq(2, 6).Reshape(3, -1).ShapeToArray());

    [Fact]
    public void Reshape_WrongCount_ThrowsWithShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Seq(2, 3).Reshape(4, 2));
        Assert.Contains("[2, 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 2]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reshape_TwoInferred_Throws() => Assert.Throws<ArgumentException>(() => Seq(2, 3).Reshape(-1, -1));

    [Fact]
    public void Reshape_NonContiguous_CopiesInOrder() => Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, Seq(2, 3).T.Reshape(6).ToArray<float>());

    [Fact]
    public void Reshape_Contiguous_SharesStorage()
    {
        var a = Seq(2, 3);
        var b = a.Reshape(6);
        b.AsSpan<float>()[0] = 42;
        Assert.Equal(42f, a.ToArray<float>()[0]);
    }

    [Fact]
    public void Transpose_SwapsValues()
    {
        var t = Seq(2, 3).T;
        Assert.Equal(new[] { 3, 2 }, t.ShapeToArray());
        Assert.False(t.IsContiguous);
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, t.ToArray<float>());
    }

    [Fact]
    public void T_OnRank3_Throws() => Assert.Throws<InvalidOperationException>(() => Seq(2, 2, 2).T);

    [Fact]
    public void Permute_Reorders()
    {
        var p = Seq(2, 3, 4).Permute(2, 0, 1);
        Assert.Equal(new[] { 4, 2, 3 }, p.ShapeToArray());
        Assert.Equal(new float[] { 0, 4, 8, 12, 16, 20 }, p[0].ToArray<float>());
    }

    [Fact]
    public void Permute_Duplicate_Throws() => Assert.Throws<ArgumentException>(() => Seq(2, 3).Permute(0, 0));

    [Fact]
    public void Permute_WrongCount_Throws() => Assert.Throws<ArgumentException>(() => Seq(2, 3).Permute(0));

    [Fact]
    public void Narrow_SelectsRange() => Assert.Equal(new float[] { 1, 2, 5, 6 }, Seq(2, 4).Narrow(1, 1, 2).ToArray<float>());

    [Fact]
    public void Narrow_Negative_CountsFromEnd() => Assert.Equal(new float[] { 3, 7 }, Seq(2, 4).Narrow(1, -1, 1).ToArray<float>());

    [Fact]
    public void Narrow_OutOfRange_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => Seq(2, 4).Narrow(1, 3, 2));

    [Fact]
    public void Slice_WithStep() => Assert.Equal(new float[] { 0, 2, 4 }, Seq(6).Slice(0, 0, 6, 2).ToArray<float>());

    [Fact]
    public void Slice_ClampsEnd() => Assert.Equal(new float[] { 4, 5 }, Seq(6).Slice(0, 4, 100).ToArray<float>());

    [Fact]
    public void Slice_ZeroStep_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => Seq(6).Slice(0, 0, 6, 0));

    [Fact]
    public void Indexer_SelectsRow() => Assert.Equal(new float[] { 3, 4, 5 }, Seq(2, 3)[1].ToArray<float>());

    [Fact]
    public void Indexer_Negative_SelectsLast() => Assert.Equal(new float[] { 3, 4, 5 }, Seq(2, 3)[-1].ToArray<float>());

    [Fact]
    public void Squeeze_RemovesOnes() => Assert.Equal(new[] { 2, 3 }, Seq(1, 2, 1, 3).Squeeze().ShapeToArray());

    [Fact]
    public void Squeeze_NotOne_Throws() => Assert.Throws<ArgumentException>(() => Seq(2, 3).Squeeze(0));

    [Theory]
    [InlineData(0, new[] { 1, 2, 3 })]
    [InlineData(1, new[] { 2, 1, 3 })]
    [InlineData(2, new[] { 2, 3, 1 })]
    [InlineData(-1, new[] { 2, 3, 1 })]
    public void Unsqueeze_InsertsOne(int dim, int[] expected) => Assert.Equal(expected, Seq(2, 3).Unsqueeze(dim).ShapeToArray());

    [Fact]
    public void Unsqueeze_OutOfRange_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => Seq(2, 3).Unsqueeze(4));

    [Fact]
    public void Expand_BroadcastsWithoutCopy()
    {
        var e = Seq(3, 1).Expand(3, 4);
        Assert.Equal(0, e.Strides[1]);
        Assert.Equal(new float[] { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2 }, e.ToArray<float>());
    }

    [Fact]
    public void Expand_Incompatible_ThrowsWithShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Seq(3, 2).Expand(3, 4));
        Assert.Contains("[3, 2]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flatten_Range() => Assert.Equal(new[] { 2, 12 }, Seq(2, 3, 4).Flatten(1).ShapeToArray());

    [Fact]
    public void Flatten_Reversed_Throws() => Assert.Throws<ArgumentException>(() => Seq(2, 3, 4).Flatten(2, 1));

    [Fact]
    public void Size_NegativeDim() => Assert.Equal(4, Seq(2, 3, 4).Size(-1));

    [Fact]
    public void Size_OutOfRange_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => Seq(2, 3).Size(2));

    [Fact]
    public void CopyFrom_Broadcasts()
    {
        var t = Tensor.Zeros([2, 3]);
        t.CopyFrom(Tensor.FromArray(new float[] { 1, 2, 3 }, 3));
        Assert.Equal(new float[] { 1, 2, 3, 1, 2, 3 }, t.ToArray<float>());
    }

    [Fact]
    public void CopyFrom_IntoView_WritesThrough()
    {
        var t = Tensor.Zeros([3, 3]);
        t.Narrow(0, 1, 1).CopyFrom(Tensor.Ones([1, 3]));
        Assert.Equal(3.0, t.Sum().Item());
        Assert.Equal(3.0, t[1].Sum().Item());
    }

    [Fact]
    public void CopyFrom_DTypeMismatch_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Zeros([2]).CopyFrom(Tensor.Zeros([2], DType.Float64)));

    [Fact]
    public void Clone_IsIndependent()
    {
        var a = Seq(3);
        var b = a.Clone();
        b.AsSpan<float>()[0] = 9;
        Assert.Equal(0f, a.ToArray<float>()[0]);
    }
}
