namespace Tessera.Core.Tests.Tensors;

public class ReductionTests
{
    private static Tensor Seq(params int[] shape)
    {
        var n = shape.Aggregate(1, (a, b) => a * b);
        return Tensor.FromArray(Enumerable.Range(0, n).Select(i => (double)i).ToArray(), shape);
    }

    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        for (var n = 1; n <= 256; n++)
        {
            data.Add(n);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SumMeanMax_EveryLength_MatchReference(int n)
    {
        var values = Tensor.Uniform([n], new SeededRandomSource((ulong)n), -5, 5, DType.Float64).ToArray<double>();
        var t = Tensor.FromArray(values, n);
        Assert.Equal(values.Sum(), t.Sum().Item(), 9);
        Assert.Equal(values.Average(), t.Mean().Item(), 9);
        Assert.Equal(values.Max(), t.Max().Item());
        Assert.Equal(values.Min(), t.Min().Item());
        Assert.Equal(Array.IndexOf(values, values.Max()), (int)t.ArgMax(0).Item());
    }

    [Theory]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 2 })]
    [InlineData(new[] { 0, 2 })]
    [InlineData(new[] { -1, 0 })]
    [InlineData(new[] { 0, 1, 2 })]
    public void Sum_AnyDims_MatchesLoop(int[] dims)
    {
        var t = Seq(2, 3, 4);
        var r = t.Sum(dims, keepDim: true);
        var norm = dims.Select(d => d < 0 ? d + 3 : d).ToHashSet();
        var expected = new double[r.Count];
        var rs = r.ShapeToArray();
        for (var i = 0; i < 2; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                for (var k = 0; k < 4; k++)
                {
                    var oi = norm.Contains(0) ? 0 : i;
                    var oj = norm.Contains(1) ? 0 : j;
                    var ok = norm.Contains(2) ? 0 : k;
                    expected[(((oi * rs[1]) + oj) * rs[2]) + ok] += (i * 12) + (j * 4) + k;
                }
            }
        }

        Assert.Equal(expected, r.ToArray<double>());
        Assert.Equal(3 - dims.Length, t.Sum(dims).Rank);
    }

    [Fact]
    public void Sum_DuplicateDim_Throws() => Assert.Throws<ArgumentException>(() => Seq(2, 3).Sum([0, -2]));

    [Fact]
    public void Sum_OutOfRangeDim_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => Seq(2, 3).Sum(2));

    [Fact]
    public void Sum_Bool_CountsTrue() => Assert.Equal(2.0, Tensor.FromArray(new[] { true, false, true }, 3).Sum().Item());

    [Fact]
    public void Sum_Empty_IsZero() => Assert.Equal(0.0, Tensor.Zeros([0, 3]).Sum().Item());

    [Fact]
    public void Sum_Ring_Wraps() => Assert.Equal(1.0, Tensor.FromArray(new[] { ulong.MaxValue, 2UL }, 2).Sum().Item());

    [Fact]
    public void Mean_Integer_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Zeros([2], DType.Int64).Mean());

    [Fact]
    public void Var_Std_MatchTextbook()
    {
        var t = Tensor.FromArray(new double[] { 2, 4, 4, 4, 5, 5, 7, 9 }, 8);
        Assert.Equal(4.0, t.Var([0], unbiased: false).Item(), 12);
        Assert.Equal(32.0 / 7, t.Var().Item(), 12);
        Assert.Equal(2.0, t.Std([0], unbiased: false).Item(), 12);
    }

    [Fact]
    public void MaxDim_ValuesAndIndices()
    {
        var t = Tensor.FromArray(new float[] { 1, 5, 3, 7, 2, 7 }, 2, 3);
        var (values, indices) = t.Max(1);
        Assert.Equal(new float[] { 5, 7 }, values.ToArray<float>());
        Assert.Equal(new long[] { 1, 0 }, indices.ToArray<long>());
        Assert.Equal(new long[] { 1, 0, 1 }, t.ArgMax(0).ToArray<long>());
        Assert.Equal(new long[] { 0, 1 }, t.ArgMin(1).ToArray<long>());
    }

    [Fact]
    public void MaxDim_KeepDim_KeepsRank() => Assert.Equal(new[] { 2, 1 }, Seq(2, 3).Max(1, keepDim: true).Values.ShapeToArray());

    [Fact]
    public void MaxDim_NaN_Propagates() => Assert.True(double.IsNaN(Tensor.FromArray(new[] { 1, double.NaN, 3 }, 3).Max().Item()));

    [Fact]
    public void MaxDim_EmptyDim_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 0]).Max(1));

    [Fact]
    public void LogSumExp_IsStable() => Assert.Equal(1000 + Math.Log(2), Tensor.FromArray(new double[] { 1000, 1000 }, 1, 2).LogSumExp(1).Item(), 9);

    [Fact]
    public void Softmax_RowsSumToOne()
    {
        var s = Tensor.Uniform([4, 7], new SeededRandomSource(1), -30, 30).Softmax(1);
        Assert.All(s.Sum(1).ToArray<float>(), v => Assert.Equal(1f, v, 5));
    }

    [Fact]
    public void LogSoftmax_EqualsLogOfSoftmax()
    {
        var x = Tensor.Uniform([3, 5], new SeededRandomSource(2), -4, 4, DType.Float64);
        Assert.True(x.LogSoftmax(0).AllClose(x.Softmax(0).Log(), 1e-12, 1e-12));
    }

    [Fact]
    public void Softmax_Integer_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Zeros([2], DType.Int64).Softmax());
}
