using Tessera.Kernels;
using static Tessera.Core.Tests.Tensors.ConvReference;

namespace Tessera.Core.Tests.Tensors;

/// <summary>
/// Conv2d unfolds chunks of several images side by side and multiplies them in one GEMM; these tests use batches big
/// enough for multi-image chunks, and one whose runs are split into several chunks, and check them against the direct
/// convolution and against the same convolution taken one image at a time.
/// </summary>
public class Conv2dBatchingTests
{
    [Theory]
    [InlineData(9, 4, 7, 6, 1, 1, 1, false)] // runs of several images, one chunk each
    [InlineData(20, 16, 30, 4, 2, 1, 1, true)] // 144 * 900 column elements per image: each run is split into chunks
    [InlineData(7, 3, 9, 3, 1, 0, 2, false)]
    [InlineData(9, 4, 7, 16, 2, 1, 1, false)] // 8 output channels per group: the weight gradient goes through GEMM
    public void Conv2d_ChunksOfImages_MatchDirectAndPerImage(int batch, int channels, int size, int outChannels, int groups,
        int padding, int stride, bool expectSplit)
    {
        var g = new ConvolutionGeometry(channels, size, size, 3, 3, stride, stride, padding, padding);
        var runs = Convolution2d.RunCount(batch);
        var longestRun = (batch + runs - 1) / runs;
        Assert.Equal(expectSplit, Convolution2d.ImagesPerChunk(batch, g) < longestRun);

        var random = new SeededRandomSource((ulong)(batch + channels));
        int[] xs = [batch, channels, size, size];
        int[] ws = [outChannels, channels / groups, 3, 3];
        var xv = Random(xs.Aggregate(1, (a, b) => a * b), random);
        var wv = Random(ws.Aggregate(1, (a, b) => a * b), random);
        var bv = Random(outChannels, random);
        var expected = Conv2d(xv, xs, wv, ws, bv, (stride, stride), (padding, padding), (1, 1), groups, out var shape);

        double[]? savedGradX = null, savedGradW = null;
        foreach (var limit in new[] { Tensor.DefaultSavedColumnBytes, 0L })
        {
            var x = Make(xv, xs, DType.Float64).WithGrad();
            var w = Make(wv, ws, DType.Float64).WithGrad();
            var b = Make(bv, [outChannels], DType.Float64).WithGrad();
            var y = x.Conv2dCore(w, b, (stride, stride), (padding, padding), (1, 1), groups, limit);
            Assert.Equal(shape, y.ShapeToArray());
            AssertClose(expected, y.ToArray<double>(), 1e-12, $"forward, saved-column limit {limit}");

            var r = Make(Random(y.Count, new SeededRandomSource(3)), shape, DType.Float64);
            y.Mul(r).Sum().Backward();
            var gx = x.Grad!.ToArray<double>();
            var gw = w.Grad!.ToArray<double>();
            if (savedGradX is null)
            {
                savedGradX = gx;
                savedGradW = gw;
            }
            else
            {
                // Saved and recomputed columns are the same numbers in the same layout: the results are identical.
                Assert.Equal(savedGradX, gx);
                Assert.Equal(savedGradW, gw);
            }

            // One image at a time (chunks of one image): the input gradients match, the weight and bias gradients sum.
            var perImageW = new double[gw.Length];
            var perImageB = new double[outChannels];
            var imageCount = channels * size * size;
            var outCount = y.Count / batch;
            for (var n = 0; n < batch; n++)
            {
                var xn = Make(xv[(n * imageCount)..((n + 1) * imageCount)], [1, channels, size, size], DType.Float64).WithGrad();
                var wn = Make(wv, ws, DType.Float64).WithGrad();
                var bn = Make(bv, [outChannels], DType.Float64).WithGrad();
                var rn = Make(r.ToArray<double>()[(n * outCount)..((n + 1) * outCount)], [1, .. shape[1..]], DType.Float64);
                xn.Conv2dCore(wn, bn, (stride, stride), (padding, padding), (1, 1), groups, limit).Mul(rn).Sum().Backward();
                AssertClose(xn.Grad!.ToArray<double>(), gx[(n * imageCount)..((n + 1) * imageCount)], 1e-12, $"input gradient of image {n}");
                var gwn = wn.Grad!.ToArray<double>();
                var gbn = bn.Grad!.ToArray<double>();
                for (var i = 0; i < gwn.Length; i++)
                {
                    perImageW[i] += gwn[i];
                }

                for (var i = 0; i < gbn.Length; i++)
                {
                    perImageB[i] += gbn[i];
                }
            }

            AssertClose(perImageW, gw, 1e-10, $"weight gradient, limit {limit}");
            AssertClose(perImageB, b.Grad!.ToArray<double>(), 1e-10, $"bias gradient, limit {limit}");
        }
    }

    [Fact]
    public void Conv2d_ChunkedFloat32_IsDeterministic()
    {
        var random = new SeededRandomSource(21);
        var x = Make(Random(33 * 6 * 14 * 14, random), [33, 6, 14, 14], DType.Float32).WithGrad();
        var w = Make(Random(16 * 6 * 25, random), [16, 6, 5, 5], DType.Float32).WithGrad();
        float[]? first = null;
        for (var i = 0; i < 3; i++)
        {
            w.Grad = null;
            x.Conv2d(w).Sum().Backward();
            var gw = w.Grad!.ToArray<float>();
            first ??= gw;
            Assert.Equal(first, gw);
        }
    }
}
