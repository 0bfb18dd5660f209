namespace Tessera.Core.Tests.Tensors;

public class ElementwiseTests
{
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        // Every length 0..256 covers each SIMD width's tails (4, 8, 16 lanes) several times over.
        for (var n = 0; n <= 256; n++)
        {
            data.Add(n);
        }

        return data;
    }

    private static double[] Values(int n, ulong seed, double lo = -3, double hi = 3) =>
        Tensor.Uniform([n], new SeededRandomSource(seed), lo, hi, DType.Float64).ToArray<double>();

    [Theory]
    [MemberData(nameof(Lengths))]
    public void BinaryOps_EveryLength_MatchScalarReference(int n)
    {
        var a = Values(n, 1);
        var b = Values(n, 2, 0.5, 3);
        var ta = Tensor.FromArray(a, n).To(DType.Float32);
        var tb = Tensor.FromArray(b, n).To(DType.Float32);
        AssertClose(a.Zip(b, (x, y) => x + y), ta.Add(tb));
        AssertClose(a.Zip(b, (x, y) => x - y), ta.Sub(tb));
        AssertClose(a.Zip(b, (x, y) => x * y), ta.Mul(tb));
        AssertClose(a.Zip(b, (x, y) => x / y), ta.Div(tb));
        AssertClose(a.Zip(b, Math.Max), ta.Maximum(tb));
        AssertClose(a.Zip(b, Math.Min), ta.Minimum(tb));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void UnaryOps_EveryLength_MatchScalarReference(int n)
    {
        var a = Values(n, 3);
        var t = Tensor.FromArray(a, n).To(DType.Float32);
        AssertClose(a.Select(Math.Exp), t.Exp());
        AssertClose(a.Select(Math.Tanh), t.Tanh());
        AssertClose(a.Select(x => 1 / (1 + Math.Exp(-x))), t.Sigmoid());
        AssertClose(a.Select(x => Math.Max(x, 0)), t.Relu());
        AssertClose(a.Select(Math.Abs), t.Abs());
        AssertClose(a.Select(x => Math.Log(Math.Abs(x) + 1)), t.Abs().Add(1).Log());
        AssertClose(a.Select(x => Math.Sqrt(Math.Abs(x))), t.Abs().Sqrt());
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void RingAdd_EveryLength_WrapsModulo2To64(int n)
    {
        var rng = new SeededRandomSource((ulong)n + 11);
        var a = Enumerable.Range(0, n).Select(_ => rng.NextUInt64()).ToArray();
        var b = Enumerable.Range(0, n).Select(_ => rng.NextUInt64()).ToArray();
        var sum = Tensor.FromArray(a, n).Add(Tensor.FromArray(b, n)).ToArray<ulong>();
        var prod = Tensor.FromArray(a, n).Mul(Tensor.FromArray(b, n)).ToArray<ulong>();
        var neg = Tensor.FromArray(a, n).Neg().ToArray<ulong>();
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(unchecked(a[i] + b[i]), sum[i]);
            Assert.Equal(unchecked(a[i] * b[i]), prod[i]);
            Assert.Equal(unchecked(0 - a[i]), neg[i]);
        }
    }

    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 3 })]
    [InlineData(new[] { 2, 1 }, new[] { 1, 4 })]
    [InlineData(new[] { 4, 1, 3 }, new[] { 2, 1 })]
    [InlineData(new[] { 1 }, new[] { 5, 2 })]
    [InlineData(new int[0], new[] { 2, 2 })]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 3, 1, 5 })]
    public void Add_Broadcast_MatchesExpandedReference(int[] sa, int[] sb)
    {
        var a = Tensor.Uniform(sa, new SeededRandomSource(1), dtype: DType.Float64);
        var b = Tensor.Uniform(sb, new SeededRandomSource(2), dtype: DType.Float64);
        var r = a.Mul(b);
        var shape = r.ShapeToArray();
        var ea = a.Expand(shape).ToArray<double>();
        var eb = b.Expand(shape).ToArray<double>();
        Assert.Equal(ea.Zip(eb, (x, y) => x * y).ToArray(), r.ToArray<double>());
    }

    [Fact]
    public void Add_NonContiguousOperands_Works()
    {
        var a = Tensor.Arange(0, 12, dtype: DType.Float32).Reshape(3, 4);
        var r = a.T.Add(a.T);
        Assert.Equal(a.T.ToArray<float>().Select(v => v * 2).ToArray(), r.ToArray<float>());
    }

    [Fact]
    public void Add_IncompatibleShapes_ThrowsWithBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 3]).Add(Tensor.Zeros([4])));
        Assert.Contains("[2, 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[4]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_DTypeMismatch_ThrowsWithBothDTypes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2]).Add(Tensor.Zeros([2], DType.Float64)));
        Assert.Contains("Float32", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Float64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_Bool_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Zeros([2], DType.Bool).Add(Tensor.Zeros([2], DType.Bool)));

    [Fact]
    public void Add_Null_Throws() => Assert.Throws<ArgumentNullException>(() => Tensor.Zeros([2]).Add(null!));

    [Fact]
    public void Exp_Integer_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Zeros([2], DType.Int64).Exp());

    [Fact]
    public void Operators_MatchMethods()
    {
        var a = Tensor.FromArray(new float[] { 1, 2 }, 2);
        var b = Tensor.FromArray(new float[] { 3, 5 }, 2);
        Assert.Equal(new float[] { 4, 7 }, (a + b).ToArray<float>());
        Assert.Equal(new float[] { -2, -3 }, (a - b).ToArray<float>());
        Assert.Equal(new float[] { 3, 10 }, (a * b).ToArray<float>());
        Assert.Equal(new float[] { 2, 4 }, (2 * a).ToArray<float>());
        Assert.Equal(new float[] { 0.5f, 1 }, (a / 2).ToArray<float>());
        Assert.Equal(new float[] { -1, -2 }, (-a).ToArray<float>());
        Assert.Equal(new float[] { 0, -1 }, (1 - a).ToArray<float>());
    }

    [Fact]
    public void IntegerDivision_Truncates() => Assert.Equal(new long[] { 2, -2 }, Tensor.FromArray(new long[] { 7, -7 }, 2).Div(3).ToArray<long>());

    [Fact]
    public void Clamp_Bounds() => Assert.Equal(new float[] { -1, 0.5f, 1 }, Tensor.FromArray(new float[] { -3, 0.5f, 4 }, 3).Clamp(-1, 1).ToArray<float>());

    [Fact]
    public void Clamp_MinAboveMax_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Zeros([1]).Clamp(1, 0));

    [Fact]
    public void Sign_Values() => Assert.Equal(new float[] { -1, 0, 1 }, Tensor.FromArray(new float[] { -2, 0, 3 }, 3).Sign().ToArray<float>());

    [Fact]
    public void Gelu_KnownValues()
    {
        var r = Tensor.FromArray(new double[] { -1, 0, 1, 2 }, 4).Gelu().ToArray<double>();
        Assert.True(Math.Abs(r[0] - -0.15865525) < 1e-6);
        Assert.True(Math.Abs(r[1]) < 1e-9);
        Assert.True(Math.Abs(r[2] - 0.84134475) < 1e-6);
        Assert.True(Math.Abs(r[3] - 1.95449974) < 1e-6);
    }

    [Fact]
    public void LeakyRelu_Values() => Assert.Equal(new float[] { -0.2f, 3 }, Tensor.FromArray(new float[] { -2, 3 }, 2).LeakyRelu(0.1).ToArray<float>());

    [Fact]
    public void Floor_Round_Values()
    {
        var t = Tensor.FromArray(new double[] { -1.5, 0.5, 1.5, 2.7 }, 4);
        Assert.Equal(new double[] { -2, 0, 1, 2 }, t.Floor().ToArray<double>());
        Assert.Equal(new double[] { -2, 0, 2, 3 }, t.Round().ToArray<double>());
    }

    [Fact]
    public void AddInPlace_Accumulates()
    {
        var t = Tensor.Ones([2, 2]);
        t.AddInPlace(Tensor.FromArray(new float[] { 1, 2 }, 2), alpha: 2);
        Assert.Equal(new float[] { 3, 5, 3, 5 }, t.ToArray<float>());
    }

    [Fact]
    public void AddInPlace_WouldGrow_Throws() => Assert.Throws<ArgumentException>(() => Tensor.Ones([2]).AddInPlace(Tensor.Ones([3, 2])));

    private static void AssertClose(IEnumerable<double> expected, Tensor actual)
    {
        var e = expected.ToArray();
        var a = actual.To(DType.Float64).ToArray<double>();
        Assert.Equal(e.Length, a.Length);
        for (var i = 0; i < e.Length; i++)
        {
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-5 * Math.Max(1, Math.Abs(e[i])), $"index {i}: expected {e[i]}, got {a[i]}");
        }
    }
}
