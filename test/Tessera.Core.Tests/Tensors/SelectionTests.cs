namespace Tessera.Core.Tests.Tensors;

public class SelectionTests
{
    private static Tensor Seq(params int[] shape)
    {
        var n = shape.Aggregate(1, (a, b) => a * b);
        return Tensor.FromArray(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), shape);
    }

    [Fact]
    public void Cat_Dim1_Interleaves() =>
        Assert.Equal(new float[] { 0, 1, 0, 2, 3, 1 }, Tensor.Cat([Seq(2, 2), Seq(2, 1)], 1).ToArray<float>());

    [Fact]
    public void Cat_Empty_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Cat([]));

    [Fact]
    public void Cat_ShapeMismatch_ThrowsWithShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Cat([Seq(2, 2), Seq(3, 1)], 1));
        Assert.Contains("[2, 2]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 1]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cat_DTypeMismatch_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Cat([Seq(2), Tensor.Zeros([2], DType.Float64)]));

    [Fact]
    public void Stack_NewDim() => Assert.Equal(new[] { 2, 3 }, Tensor.Stack([Seq(3), Seq(3)]).ShapeToArray());

    [Fact]
    public void Stack_ShapeMismatch_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Stack([Seq(3), Seq(2)]));

    [Fact]
    public void Split_LastPieceSmaller()
    {
        var parts = Seq(5).Split(2);
        Assert.Equal(3, parts.Length);
        Assert.Equal(new float[] { 4 }, parts[2].ToArray<float>());
    }

    [Fact]
    public void Chunk_Counts() => Assert.Equal(3, Seq(6, 2).Chunk(3).Length);

    [Fact]
    public void Split_ZeroSize_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => Seq(5).Split(0));

    [Fact]
    public void IndexSelect_Rows() =>
        Assert.Equal(new float[] { 4, 5, 0, 1, 4, 5 }, Seq(3, 2).IndexSelect(0, Tensor.FromArray(new long[] { 2, 0, -1 }, 3)).ToArray<float>());

    [Fact]
    public void IndexSelect_OutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Seq(3, 2).IndexSelect(0, Tensor.FromArray(new long[] { 3 }, 1)));

    [Fact]
    public void IndexSelect_WrongDType_Throws() =>
        Assert.Throws<ArgumentException>(() => Seq(3, 2).IndexSelect(0, Tensor.Zeros([1])));

    [Fact]
    public void Gather_Dim1() =>
        Assert.Equal(new float[] { 2, 0, 4, 4 }, Seq(2, 3).Gather(1, Tensor.FromArray(new long[] { 2, 0, 1, 1 }, 2, 2)).ToArray<float>());

    [Fact]
    public void Gather_OutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Seq(2, 3).Gather(1, Tensor.FromArray(new long[] { 3, 0 }, 2, 1)));

    [Fact]
    public void Gather_WrongRank_Throws() =>
        Assert.Throws<ArgumentException>(() => Seq(2, 3).Gather(1, Tensor.FromArray(new long[] { 0 }, 1)));

    [Fact]
    public void Where_Broadcasts()
    {
        var c = Tensor.FromArray(new[] { true, false }, 2, 1);
        var r = Tensor.Where(c, Seq(2, 3), Tensor.Full([], -1));
        Assert.Equal(new float[] { 0, 1, 2, -1, -1, -1 }, r.ToArray<float>());
    }

    [Fact]
    public void Where_NonBoolCondition_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Where(Seq(2), Seq(2), Seq(2)));

    [Fact]
    public void MaskedFill_Fills() =>
        Assert.Equal(new float[] { 9, 1, 9 }, Seq(3).MaskedFill(Tensor.FromArray(new[] { true, false, true }, 3), 9).ToArray<float>());

    [Fact]
    public void Comparisons_Values()
    {
        var a = Tensor.FromArray(new float[] { 1, 2, 3 }, 3);
        var b = Tensor.FromArray(new float[] { 2, 2, 2 }, 3);
        Assert.Equal(new[] { true, false, false }, a.Lt(b).ToArray<bool>());
        Assert.Equal(new[] { true, true, false }, a.Le(b).ToArray<bool>());
        Assert.Equal(new[] { false, false, true }, a.Gt(b).ToArray<bool>());
        Assert.Equal(new[] { false, true, true }, a.Ge(b).ToArray<bool>());
        Assert.Equal(new[] { false, true, false }, a.Eq(b).ToArray<bool>());
        Assert.Equal(new[] { true, false, true }, a.Ne(b).ToArray<bool>());
        Assert.Equal(new[] { false, false, true }, a.Gt(2).ToArray<bool>());
    }

    [Fact]
    public void Comparisons_NaN_OnlyNeIsTrue()
    {
        var a = Tensor.FromArray(new[] { double.NaN }, 1);
        Assert.False(a.Eq(a).All());
        Assert.True(a.Ne(a).All());
        Assert.False(a.Lt(a).Any() || a.Le(a).Any() || a.Gt(a).Any() || a.Ge(a).Any());
    }

    [Fact]
    public void Logical_Ops()
    {
        var a = Tensor.FromArray(new[] { true, true, false, false }, 4);
        var b = Tensor.FromArray(new[] { true, false, true, false }, 4);
        Assert.Equal(new[] { true, false, false, false }, a.LogicalAnd(b).ToArray<bool>());
        Assert.Equal(new[] { true, true, true, false }, a.LogicalOr(b).ToArray<bool>());
        Assert.Equal(new[] { false, true, true, false }, a.LogicalXor(b).ToArray<bool>());
        Assert.Equal(new[] { false, false, true, true }, a.LogicalNot().ToArray<bool>());
    }

    [Fact]
    public void Logical_OnFloat_Throws() => Assert.Throws<ArgumentException>(() => Seq(2).LogicalNot());

    [Fact]
    public void AllClose_Tolerances()
    {
        var a = Tensor.FromArray(new double[] { 1, 2 }, 2);
        Assert.True(a.AllClose(a.Add(1e-9)));
        Assert.False(a.AllClose(a.Add(1e-3)));
        Assert.False(a.AllClose(Tensor.Zeros([3], DType.Float64)));
    }
}
