namespace Tessera.Core.Tests.Tensors;

public class TensorCreationTests
{
    [Fact]
    public void FromArray_WrongCount_ThrowsWithShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[5], 2, 3));
        Assert.Contains("[2, 3]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromArray_NegativeDim_Throws() => Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[0], -1));

    [Fact]
    public void FromArray_Null_Throws() => Assert.Throws<ArgumentNullException>(() => Tensor.FromArray<float>(null!, 1));

    [Fact]
    public void FromArray_SharesStorage()
    {
        var data = new float[] { 1, 2 };
        var t = Tensor.FromArray(data, 2);
        data[0] = 5;
        Assert.Equal(5f, t.ToArray<float>()[0]);
    }

    [Fact]
    public void FromArray_UnsupportedType_Throws() => Assert.Throws<NotSupportedException>(() => Tensor.FromArray(new int[1], 1));

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Int64)]
    [InlineData(DType.UInt64)]
    [InlineData(DType.Bool)]
    public void Zeros_EveryDType_HasShapeAndZeroValues(DType dtype)
    {
        var t = Tensor.Zeros([2, 3], dtype);
        Assert.Equal(dtype, t.DType);
        Assert.Equal(6, t.Count);
        Assert.Equal(0.0, t.Sum().Item());
    }

    [Theory]
    [InlineData(DType.Float32, 2.5, 2.5)]
    [InlineData(DType.Float64, -1.25, -1.25)]
    [InlineData(DType.Int64, 7, 7)]
    [InlineData(DType.UInt64, 9, 9)]
    [InlineData(DType.Bool, 1, 1)]
    public void Full_EveryDType_FillsValue(DType dtype, double value, double expected)
    {
        Assert.Equal(expected, Tensor.Full([1], value, dtype).Item());
    }

    [Fact]
    public void Scalar_HasRankZero()
    {
        var s = Tensor.Scalar(3);
        Assert.Equal(0, s.Rank);
        Assert.Equal(1, s.Count);
        Assert.Equal(3.0, s.Item());
    }

    [Fact]
    public void Item_OnManyElements_Throws() => Assert.Throws<InvalidOperationException>(() => Tensor.Zeros([2]).Item());

    [Theory]
    [InlineData(0, 5, 1, 5)]
    [InlineData(0, 5, 2, 3)]
    [InlineData(5, 0, -1, 5)]
    [InlineData(0, 0, 1, 0)]
    [InlineData(0, 1, 0.25, 4)]
    public void Arange_Counts(double start, double end, double step, int count) =>
        Assert.Equal(count, Tensor.Arange(start, end, step, DType.Float64).Count);

    [Fact]
    public void Arange_ZeroStep_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Arange(0, 1, 0));

    [Fact]
    public void Uniform_SameSeed_SameValues()
    {
        var a = Tensor.Uniform([100], new SeededRandomSource(3), -2, 2);
        var b = Tensor.Uniform([100], new SeededRandomSource(3), -2, 2);
        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        Assert.All(a.ToArray<float>(), v => Assert.InRange(v, -2f, 2f));
    }

    [Fact]
    public void Normal_LargeSample_HasMeanAndStd()
    {
        var t = Tensor.Normal([20000], new SeededRandomSource(5), 1, 2, DType.Float64);
        Assert.InRange(t.Mean().Item(), 0.95, 1.05);
        Assert.InRange(t.Std().Item(), 1.95, 2.05);
    }

    [Fact]
    public void Normal_NegativeStd_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Normal([1], new SeededRandomSource(1), 0, -1));

    [Fact]
    public void Uniform_IntegerDType_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Uniform([1], new SeededRandomSource(1), dtype: DType.Int64));

    [Fact]
    public void Uniform_NullRandom_Throws() => Assert.Throws<ArgumentNullException>(() => Tensor.Uniform([1], null!));

    [Fact]
    public void RandInt_InRange()
    {
        var t = Tensor.RandInt([1000], new SeededRandomSource(9), -3, 4);
        Assert.All(t.ToArray<long>(), v => Assert.InRange(v, -3, 3));
        Assert.Contains(-3L, t.ToArray<long>());
        Assert.Contains(3L, t.ToArray<long>());
    }

    [Fact]
    public void RandInt_EmptyRange_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.RandInt([1], new SeededRandomSource(1), 2, 2));

    [Fact]
    public void AsSpan_WrongType_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Zeros([2]).AsSpan<double>());

    [Fact]
    public void AsSpan_NonContiguous_Throws() => Assert.Throws<InvalidOperationException>(() => Tensor.Zeros([2, 3]).T.AsSpan<float>());

    [Theory]
    [InlineData(DType.Float32, DType.Float64)]
    [InlineData(DType.Float64, DType.Float32)]
    [InlineData(DType.Float32, DType.Int64)]
    [InlineData(DType.Int64, DType.Float64)]
    [InlineData(DType.Int64, DType.UInt64)]
    [InlineData(DType.UInt64, DType.Int64)]
    [InlineData(DType.Bool, DType.Float32)]
    [InlineData(DType.Float32, DType.Bool)]
    public void To_ConvertsValues(DType from, DType to)
    {
        var t = Tensor.FromArray(new double[] { 0, 1, 3 }, 3).To(from).To(to);
        Assert.Equal(to, t.DType);
        var expected = from == DType.Bool || to == DType.Bool ? new double[] { 0, 1, 1 } : [0, 1, 3];
        Assert.Equal(expected, t.To(DType.Float64).ToArray<double>());
    }

    [Fact]
    public void To_NegativeToUInt64_Wraps() => Assert.Equal(ulong.MaxValue, Tensor.Full([1], -1, DType.Int64).To(DType.UInt64).ToArray<ulong>()[0]);

    [Fact]
    public void DTypes_ElementSize_MatchesClr()
    {
        Assert.Equal(4, DTypes.ElementSize(DType.Float32));
        Assert.Equal(8, DTypes.ElementSize(DType.Float64));
        Assert.Equal(8, DTypes.ElementSize(DType.UInt64));
        Assert.Equal(1, DTypes.ElementSize(DType.Bool));
    }

    [Fact]
    public void ToString_NamesDTypeAndShape() => Assert.Equal("Tensor(Float32, [2, 3])", Tensor.Zeros([2, 3]).ToString());
}
