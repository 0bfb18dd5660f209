namespace Tessera.Core.Tests.Tensors;

public class MatMulTests
{
    private static double[] Naive(double[] a, double[] b, int m, int k, int n)
    {
        var c = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                for (var p = 0; p < k; p++)
                {
                    c[(i * n) + j] += a[(i * k) + p] * b[(p * n) + j];
                }
            }
        }

        return c;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(17, 1, 9)]
    [InlineData(33, 65, 17)]
    [InlineData(64, 64, 64)]
    [InlineData(0, 3, 2)]
    [InlineData(2, 0, 3)]
    public void MatMul_Float64_MatchesNaive(int m, int k, int n)
    {
        var a = Tensor.Uniform([m, k], new SeededRandomSource(1), -1, 1, DType.Float64);
        var b = Tensor.Uniform([k, n], new SeededRandomSource(2), -1, 1, DType.Float64);
        var expected = Naive(a.ToArray<double>(), b.ToArray<double>(), m, k, n);
        var actual = a.MatMul(b).ToArray<double>();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 10);
        }
    }

    [Fact]
    public void MatMul_BatchBroadcast_Shapes()
    {
        var a = Tensor.Ones([2, 1, 3, 4]);
        var b = Tensor.Ones([5, 4, 6]);
        var r = a.MatMul(b);
        Assert.Equal(new[] { 2, 5, 3, 6 }, r.ShapeToArray());
        Assert.All(r.ToArray<float>(), v => Assert.Equal(4f, v));
    }

    [Fact]
    public void MatMul_VectorVector_IsDot() =>
        Assert.Equal(32.0, Tensor.FromArray(new double[] { 1, 2, 3 }, 3).MatMul(Tensor.FromArray(new double[] { 4, 5, 6 }, 3)).Item());

    [Fact]
    public void MatMul_Ring_WrapsExactly()
    {
        var rng = new SeededRandomSource(4);
        var a = Enumerable.Range(0, 6).Select(_ => rng.NextUInt64()).ToArray();
        var b = Enumerable.Range(0, 6).Select(_ => rng.NextUInt64()).ToArray();
        var c = Tensor.FromArray(a, 2, 3).MatMul(Tensor.FromArray(b, 3, 2)).ToArray<ulong>();
        for (var i = 0; i < 2; i++)
        {
            for (var j = 0; j < 2; j++)
            {
                ulong s = 0;
                for (var p = 0; p < 3; p++)
                {
                    s = unchecked(s + (a[(i * 3) + p] * b[(p * 2) + j]));
                }

                Assert.Equal(s, c[(i * 2) + j]);
            }
        }
    }

    [Fact]
    public void MatMul_SlicedColumns_UsesCopy()
    {
        var a = Tensor.Arange(0, 24, dtype: DType.Float64).Reshape(4, 6).Slice(1, 0, 6, 2);
        var b = Tensor.Ones([3, 1], DType.Float64);
        Assert.Equal(new double[] { 6, 24, 42, 60 }, a.MatMul(b).ToArray<double>());
    }

    [Fact]
    public void MatMul_InnerMismatch_ThrowsWithShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 3]).MatMul(Tensor.Zeros([4, 5])));
        Assert.Contains("[2, 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 5]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MatMul_Scalar_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Scalar(1).MatMul(Tensor.Zeros([1])));

    [Fact]
    public void MatMul_Bool_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Zeros([1, 1], DType.Bool).MatMul(Tensor.Zeros([1, 1], DType.Bool)));

    [Fact]
    public void MatMul_DTypeMismatch_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Zeros([1, 1]).MatMul(Tensor.Zeros([1, 1], DType.Float64)));
}
