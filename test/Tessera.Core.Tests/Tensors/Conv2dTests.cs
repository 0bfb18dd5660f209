using static Tessera.Core.Tests.Tensors.ConvReference;

namespace Tessera.Core.Tests.Tensors;

public class Conv2dTests
{
    public static TheoryData<int, int, int> Windows()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var stride in new[] { 1, 2 })
        {
            foreach (var padding in new[] { 0, 1, 2 })
            {
                foreach (var dilation in new[] { 1, 2 })
                {
                    data.Add(stride, padding, dilation);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void Conv2d_GridOfShapes_MatchesDirectConvolution(int stride, int padding, int dilation)
    {
        var random = new SeededRandomSource((ulong)((stride * 100) + (padding * 10) + dilation));
        // (groups, out channels): dense, two groups, depthwise with a channel multiplier of 2.
        foreach (var (groups, outChannels) in new[] { (1, 3), (2, 4), (4, 8) })
        {
            foreach (var batch in new[] { 1, 3 })
            {
                int[] xs = [batch, 4, 7, 6];
                int[] ws = [outChannels, 4 / groups, 3, 2];
                var x = Random(xs.Aggregate(1, (a, b) => a * b), random);
                var w = Random(ws.Aggregate(1, (a, b) => a * b), random);
                var b = Random(outChannels, random);
                var expected = ConvReference.Conv2d(x, xs, w, ws, b, (stride, stride), (padding, padding), (dilation, dilation), groups,
                    out var shape);
                foreach (var dtype in new[] { DType.Float32, DType.Float64 })
                {
                    var y = Make(x, xs, dtype).Conv2d(Make(w, ws, dtype), Make(b, [outChannels], dtype), stride, padding, dilation, groups);
                    var context = $"{dtype} s={stride} p={padding} d={dilation} groups={groups} N={batch}";
                    Assert.Equal(shape, y.ShapeToArray());
                    AssertClose(expected, y.To(DType.Float64).ToArray<double>(), dtype == DType.Float32 ? 1e-5 : 1e-12, context);
                }
            }
        }
    }

    [Theory]
    [InlineData(1, 0, 2, 1)]
    [InlineData(2, 1, 1, 2)]
    [InlineData(3, 2, 2, 1)]
    public void Conv2d_AsymmetricTuples_MatchesDirectConvolution(int strideW, int padH, int dilW, int strideH)
    {
        var random = new SeededRandomSource(7);
        int[] xs = [2, 3, 9, 5];
        int[] ws = [2, 3, 2, 3];
        var x = Random(90 * 3, random);
        var w = Random(36, random);
        var expected = ConvReference.Conv2d(x, xs, w, ws, null, (strideH, strideW), (padH, 1), (1, dilW), 1, out var shape);
        var y = Make(x, xs, DType.Float64).Conv2d(Make(w, ws, DType.Float64), null, (strideH, strideW), (padH, 1), (1, dilW));
        Assert.Equal(shape, y.ShapeToArray());
        AssertClose(expected, y.ToArray<double>(), 1e-12, "tuple overload");
    }

    [Fact]
    public void Conv2d_PointwiseKernel_MatchesDirectConvolution()
    {
        var random = new SeededRandomSource(11);
        int[] xs = [3, 4, 5, 3];
        int[] ws = [6, 2, 1, 1];
        var x = Random(180, random);
        var w = Random(12, random);
        var b = Random(6, random);
        var expected = ConvReference.Conv2d(x, xs, w, ws, b, (1, 1), (0, 0), (1, 1), 2, out _);
        var y = Make(x, xs, DType.Float32).Conv2d(Make(w, ws, DType.Float32), Make(b, [6], DType.Float32), groups: 2);
        AssertClose(expected, y.To(DType.Float64).ToArray<double>(), 1e-5, "1x1");
    }

    [Fact]
    public void Conv2d_NonContiguousInput_MatchesContiguous()
    {
        var random = new SeededRandomSource(12);
        var x = Make(Random(2 * 5 * 6 * 3, random), [2, 5, 6, 3], DType.Float64);
        var w = Make(Random(4 * 3 * 9, random), [4, 3, 3, 3], DType.Float64);
        var permuted = x.Permute(0, 3, 1, 2);
        Assert.False(permuted.IsContiguous);
        var expected = permuted.Contiguous().Conv2d(w, padding: 1).ToArray<double>();
        Assert.Equal(expected, permuted.Conv2d(w, padding: 1).ToArray<double>());
    }

    [Theory]
    [InlineData(2, 1, 1, 2, 1)]
    [InlineData(1, 2, 2, 1, 1)]
    [InlineData(1, 1, 1, 4, 2)]
    [InlineData(2, 0, 1, 1, 1)]
    public void Conv2d_Backward_MatchesCentralDifferences(int stride, int padding, int dilation, int groups, int multiplier)
    {
        foreach (var saveColumns in new[] { true, false })
        {
            var random = new SeededRandomSource((ulong)((stride * 1000) + (padding * 100) + (dilation * 10) + groups));
            int[] xs = [2, 4, 6, 5];
            int[] ws = [groups * multiplier * (groups == 1 ? 3 : 1), 4 / groups, 3, 2];
            var x = Make(Random(240, random), xs, DType.Float64).WithGrad();
            var w = Make(Random(ws.Aggregate(1, (a, b) => a * b), random), ws, DType.Float64).WithGrad();
            var b = Make(Random(ws[0], random), [ws[0]], DType.Float64).WithGrad();
            var limit = saveColumns ? Tensor.DefaultSavedColumnBytes : 0;
            Tensor F() => x.Conv2dCore(w, b, (stride, stride), (padding, padding), (dilation, dilation), groups, limit);
            var y = F();
            var r = Make(Random(y.Count, random), y.ShapeToArray(), DType.Float64);
            y.Mul(r).Sum().Backward();
            var context = $"s={stride} p={padding} d={dilation} groups={groups} save={saveColumns}";
            CheckGradient(x, F, r, context + " input");
            CheckGradient(w, F, r, context + " weight");
            CheckGradient(b, F, r, context + " bias");
        }
    }

    [Fact]
    public void Conv2d_BackwardPointwise_MatchesCentralDifferences()
    {
        var random = new SeededRandomSource(5);
        var x = Make(Random(3 * 4 * 3 * 3, random), [3, 4, 3, 3], DType.Float64).WithGrad();
        var w = Make(Random(12, random), [6, 2, 1, 1], DType.Float64).WithGrad();
        Tensor G() => x.Conv2d(w, groups: 2);
        var y = G();
        var r = Make(Random(y.Count, random), y.ShapeToArray(), DType.Float64);
        y.Mul(r).Sum().Backward();
        CheckGradient(x, G, r, "1x1 input");
        CheckGradient(w, G, r, "1x1 weight");
    }

    [Fact]
    public void Conv2d_OnlyWeightRequiresGrad_GivesWeightGradOnly()
    {
        var random = new SeededRandomSource(3);
        var x = Make(Random(2 * 2 * 4 * 4, random), [2, 2, 4, 4], DType.Float32);
        var w = Make(Random(3 * 2 * 2 * 2, random), [3, 2, 2, 2], DType.Float32).WithGrad();
        x.Conv2d(w).Sum().Backward();
        Assert.Null(x.Grad);
        Assert.Equal([3, 2, 2, 2], w.Grad!.ShapeToArray());
        // d(sum)/dw[o, c, i, j] = sum over n and output positions of the input under tap (i, j) of channel c.
        var xv = x.ToArray<float>();
        var expected = 0.0;
        for (var n = 0; n < 2; n++)
        {
            for (var oy = 0; oy < 3; oy++)
            {
                for (var ox = 0; ox < 3; ox++)
                {
                    expected += xv[(n * 32) + (oy * 4) + ox];
                }
            }
        }

        Assert.Equal(expected, w.Grad.ToArray<float>()[0], 4);
    }

    [Fact]
    public void Conv2d_NoGrad_RecordsNothing()
    {
        var x = Tensor.Ones([1, 1, 3, 3], DType.Float64).WithGrad();
        var w = Tensor.Ones([1, 1, 2, 2], DType.Float64).WithGrad();
        using (global::Tessera.Autograd.NoGrad())
        {
            var y = x.Conv2d(w);
            Assert.False(y.RequiresGrad);
            Assert.Equal(new double[] { 4, 4, 4, 4 }, y.ToArray<double>());
        }
    }
}
