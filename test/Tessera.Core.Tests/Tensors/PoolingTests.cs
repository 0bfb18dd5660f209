using static Tessera.Core.Tests.Tensors.ConvReference;

namespace Tessera.Core.Tests.Tensors;

public class PoolingTests
{
    public static TheoryData<int, int, int, int, int, int> Windows() => new()
    {
        // kh, kw, sh, sw, ph, pw (stride 0 means "default to the kernel")
        { 2, 2, 0, 0, 0, 0 },
        { 2, 2, 1, 1, 1, 1 },
        { 3, 3, 2, 2, 1, 1 },
        { 3, 2, 1, 2, 1, 0 },
        { 3, 3, 1, 1, 0, 0 },
        { 1, 3, 1, 2, 0, 1 },
        { 4, 3, 3, 1, 2, 1 },
    };

    [Theory]
    [MemberData(nameof(Windows))]
    public void Pool2d_GridOfWindows_MatchesDirectPooling(int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var random = new SeededRandomSource((ulong)((kh * 7) + (kw * 5) + sh + sw + ph + pw));
        foreach (var batch in new[] { 1, 3 })
        {
            int[] xs = [batch, 3, 7, 6];
            var x = Random(xs.Aggregate(1, (a, b) => a * b), random);
            var stride = sh == 0 ? (kh, kw) : (sh, sw);
            (int, int)? strideArg = sh == 0 ? null : (sh, sw);
            var expectedMax = Pool2d(x, xs, (kh, kw), stride, (ph, pw), max: true, out var shape);
            var expectedAvg = Pool2d(x, xs, (kh, kw), stride, (ph, pw), max: false, out _);
            foreach (var dtype in new[] { DType.Float32, DType.Float64 })
            {
                var context = $"{dtype} k=({kh},{kw}) s={stride} p=({ph},{pw}) N={batch}";
                var t = Make(x, xs, dtype);
                var max = t.MaxPool2d((kh, kw), strideArg, (ph, pw));
                var avg = t.AvgPool2d((kh, kw), strideArg, (ph, pw));
                Assert.Equal(shape, max.ShapeToArray());
                Assert.Equal(shape, avg.ShapeToArray());
                var tolerance = dtype == DType.Float32 ? 1e-6 : 1e-14;
                AssertClose(expectedMax, max.To(DType.Float64).ToArray<double>(), tolerance, context + " max");
                AssertClose(expectedAvg, avg.To(DType.Float64).ToArray<double>(), tolerance, context + " avg");
            }
        }
    }

    [Fact]
    public void Pool2d_IntOverloads_MatchTupleOverloads()
    {
        var x = Make(Random(2 * 2 * 9 * 8, new SeededRandomSource(1)), [2, 2, 9, 8], DType.Float32);
        Assert.Equal(x.MaxPool2d((3, 3), (2, 2), (1, 1)).ToArray<float>(), x.MaxPool2d(3, 2, 1).ToArray<float>());
        Assert.Equal(x.AvgPool2d((2, 2)).ToArray<float>(), x.AvgPool2d(2).ToArray<float>());
        Assert.Equal([2, 2, 4, 4], x.MaxPool2d(2).ShapeToArray());
    }

    [Fact]
    public void MaxPool2d_NaNInWindow_PropagatesNaN()
    {
        var x = Tensor.FromArray(new float[] { 1, float.NaN, 3, 4 }, 1, 1, 2, 2);
        Assert.True(float.IsNaN(x.MaxPool2d(2).ToArray<float>()[0]));
    }

    [Fact]
    public void AvgPool2d_Padding_CountsPadAsZero()
    {
        var x = Tensor.Ones([1, 1, 2, 2], DType.Float64);
        // 3x3 window at stride 2 with padding 1: the single window covers the 2x2 ones and 5 padded zeros.
        Assert.Equal(new[] { 4.0 / 9 }, x.AvgPool2d(3, 2, 1).ToArray<double>());
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void Pool2d_Backward_MatchesCentralDifferences(int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var random = new SeededRandomSource((ulong)((kh * 3) + kw + sh + sw + ph + pw));
        (int, int)? stride = sh == 0 ? null : (sh, sw);
        var x = Make(Random(2 * 2 * 6 * 5, random), [2, 2, 6, 5], DType.Float64).WithGrad();
        foreach (var max in new[] { true, false })
        {
            x.Grad = null;
            Tensor F() => max ? x.MaxPool2d((kh, kw), stride, (ph, pw)) : x.AvgPool2d((kh, kw), stride, (ph, pw));
            var y = F();
            var r = Make(Random(y.Count, random), y.ShapeToArray(), DType.Float64);
            y.Mul(r).Sum().Backward();
            CheckGradient(x, F, r, $"{(max ? "max" : "avg")} k=({kh},{kw}) s={stride} p=({ph},{pw})");
        }
    }

    [Fact]
    public void MaxPool2d_OverlappingWindows_AccumulatesGradientOnSharedMaximum()
    {
        var x = Tensor.FromArray(new double[] { 0, 0, 0, 0, 9, 0, 0, 0, 0 }, 1, 1, 3, 3).WithGrad();
        x.MaxPool2d(2, 1).Sum().Backward();
        Assert.Equal(new double[] { 0, 0, 0, 0, 4, 0, 0, 0, 0 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Pool2d_LargeBatch_ParallelMatchesReference()
    {
        int[] xs = [16, 8, 20, 20];
        var x = Random(xs.Aggregate(1, (a, b) => a * b), new SeededRandomSource(9));
        var expected = Pool2d(x, xs, (3, 3), (2, 2), (1, 1), max: true, out _);
        AssertClose(expected, Make(x, xs, DType.Float64).MaxPool2d(3, 2, 1).ToArray<double>(), 0, "parallel max");
    }
}
