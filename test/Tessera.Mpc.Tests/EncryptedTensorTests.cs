using Tessera.Mpc.Providers;

namespace Tessera.Mpc.Tests;

/// <summary>
/// <see cref="EncryptedTensor"/> against plaintext <see cref="Tensor"/> results, 2 parties plus a dealer (3 for products),
/// 16 fractional bits. References use the encoded (quantized) inputs, so linear operations must match exactly and each
/// truncation may add at most one ulp (2^-16) per output element.
/// </summary>
public sealed class EncryptedTensorTests
{
    private const double Ulp = 1.0 / 65536;

    [Fact]
    public async Task LinearOperations_MatchPlaintextExactlyInZeroRounds()
    {
        const int m = 3, n = 4;
        var xs = MpcHarness.Uniform(m * n, -8, 8, seed: 41);
        var ys = MpcHarness.Uniform(m * n, -8, 8, seed: 42);
        var ps = MpcHarness.Uniform(m * n, -8, 8, seed: 43);
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var (x, y) = (Encrypt(session, 0, xs, m, n), Encrypt(session, 1, ys, m, n));
            var p = Tensor.FromArray(Quantized(ps), m, n);
            var rounds = session.Communicator.Statistics.Rounds;
            var results = new[]
            {
                x.Add(y), x.Sub(y), x.Neg(), x.Add(p), x.Sub(p), x.Add(1.5), x.Sub(0.25), x.Mul(3),
                x.Sum(), x.Sum(0), x.Sum(1, keepDim: true), x.Reshape(2, -1), x.Transpose(), x.Reshape(n, 1, m).Transpose(0, 2),
            };
            Assert.Equal(rounds, session.Communicator.Statistics.Rounds);
            var revealed = new List<Tensor>();
            foreach (var r in results)
            {
                revealed.Add(await r.DecryptAsync());
            }

            return revealed;
        }, MpcHarness.NoDealerWork);

        var tx = Tensor.FromArray(Quantized(xs), m, n);
        var ty = Tensor.FromArray(Quantized(ys), m, n);
        var tp = Tensor.FromArray(Quantized(ps), m, n);
        var expected = new[]
        {
            tx.Add(ty), tx.Sub(ty), tx.Neg(), tx.Add(tp), tx.Sub(tp), tx.Add(Full(tx, 1.5)), tx.Sub(Full(tx, 0.25)),
            tx.Mul(Full(tx, 3)), tx.Sum(), tx.Sum(0), tx.Sum(1, keepDim: true), tx.Reshape(2, 6), tx.Transpose(),
            tx.Reshape(n, 1, m).Transpose(0, 2),
        };
        foreach (var revealed in run.Results)
        {
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i].ShapeToArray(), revealed[i].ShapeToArray());
                AssertClose(expected[i], revealed[i], 0, $"operation {i}");
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Products_WithinOneUlpOfEncodedProductInTwoRoundsOrOne(int parties)
    {
        const int m = 4, k = 6, n = 3;
        var xs = MpcHarness.Uniform(m * k, -4, 4, seed: 44);
        var ys = MpcHarness.Uniform(m * k, -4, 4, seed: 45);
        var ws = MpcHarness.Uniform(k * n, -4, 4, seed: 46);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = Encrypt(session, 0, xs, m, k);
            var y = Encrypt(session, parties - 1, ys, m, k);
            var w = Encrypt(session, 1, ws, k, n);
            var publicY = Tensor.FromArray(Quantized(ys), m, k);
            var publicW = Tensor.FromArray(Quantized(ws), k, n);
            var rounds = new List<long>();
            var results = new List<EncryptedTensor>();
            foreach (var product in new Func<ValueTask<EncryptedTensor>>[]
            {
                () => x.MulAsync(y), () => x.MulAsync(publicY), () => x.MulAsync(-2.5),
                () => x.MatMulAsync(w), () => x.MatMulAsync(publicW),
            })
            {
                var before = session.Communicator.Statistics.Rounds;
                results.Add(await product());
                rounds.Add(session.Communicator.Statistics.Rounds - before);
            }

            var revealed = new List<Tensor>();
            foreach (var r in results)
            {
                Assert.Equal(16, r.FractionalBits);
                revealed.Add(await r.DecryptAsync());
            }

            return (Rounds: rounds, Values: revealed);
        }, async dealer =>
        {
            await dealer.ServeMulAsync(m * k);
            await dealer.ServePublicProductAsync(m * k);
            await dealer.ServePublicProductAsync(m * k);
            await dealer.ServeMatMulAsync(m, k, n);
            await dealer.ServePublicProductAsync(m * n);
        });

        var tx = Tensor.FromArray(Quantized(xs), m, k);
        var ty = Tensor.FromArray(Quantized(ys), m, k);
        var tw = Tensor.FromArray(Quantized(ws), k, n);
        var expected = new[] { tx.Mul(ty), tx.Mul(ty), tx.Mul(Full(tx, -2.5)), tx.MatMul(tw), tx.MatMul(tw) };
        foreach (var (rounds, values) in run.Results)
        {
            Assert.Equal([2L, 1, 1, 2, 1], rounds);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i].ShapeToArray(), values[i].ShapeToArray());
                AssertClose(expected[i], values[i], Ulp, $"product {i}");
            }
        }
    }

    [Fact]
    public async Task Comparisons_AreExactIncludingTiesAndPublicThresholdsAndSelectWithoutTruncation()
    {
        const int n = 40;
        var xs = MpcHarness.Uniform(n, -3, 3, seed: 47);
        var ys = MpcHarness.Uniform(n, -3, 3, seed: 48);
        xs[0] = 0;
        ys[1] = xs[1];
        xs[2] = 0.5;
        ys[3] = xs[3] + Ulp;
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var (x, y) = (Encrypt(session, 0, xs, n), Encrypt(session, 1, ys, n));
            var results = new List<EncryptedTensor>
            {
                await x.LessThanAsync(y), await x.GreaterThanAsync(y), await x.LessEqualAsync(y),
                await x.GreaterEqualAsync(y), await x.EqualAsync(y), await x.LessThanAsync(0.5), await x.GreaterThanAsync(0.5),
            };
            var rounds = session.Communicator.Statistics.Rounds;
            results.Add(await x.ReluAsync());
            Assert.Equal(8, session.Communicator.Statistics.Rounds - rounds);
            results.Add(await x.AbsAsync());
            results.Add(await x.MaxAsync(y));
            results.Add(await x.MinAsync(y));
            rounds = session.Communicator.Statistics.Rounds;
            var selected = await x.MulAsync(results[0]);
            Assert.Equal(1, session.Communicator.Statistics.Rounds - rounds);
            results.Add(selected);
            var revealed = new List<double[]>();
            foreach (var r in results)
            {
                revealed.Add((await r.DecryptAsync()).ToArray<double>());
            }

            return revealed;
        }, async dealer =>
        {
            for (var i = 0; i < 4; i++)
            {
                await dealer.ServeLessThanZeroAsync(n);
            }

            await dealer.ServeLessThanZeroAsync(2 * n);
            await dealer.ServeLessThanZeroAsync(n);
            await dealer.ServeLessThanZeroAsync(n);
            for (var i = 0; i < 4; i++)
            {
                await dealer.ServeReluAsync(n);
            }

            await dealer.ServeTripleAsync(TripleRequest.Elementwise(n));
        });

        var qx = Quantized(xs);
        var qy = Quantized(ys);
        var expected = new Func<double, double, double>[]
        {
            (a, b) => a < b ? 1 : 0, (a, b) => a > b ? 1 : 0, (a, b) => a <= b ? 1 : 0, (a, b) => a >= b ? 1 : 0,
            (a, b) => a == b ? 1 : 0, (a, _) => a < 0.5 ? 1 : 0, (a, _) => a > 0.5 ? 1 : 0,
            (a, _) => Math.Max(a, 0), (a, _) => Math.Abs(a), Math.Max, Math.Min, (a, b) => a < b ? a : 0,
        };
        foreach (var revealed in run.Results)
        {
            for (var f = 0; f < expected.Length; f++)
            {
                Assert.Equal(qx.Zip(qy, expected[f]).ToArray(), revealed[f]);
            }
        }
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    public async Task Conv2dAsync_MatchesCoreConv2dWithinOneUlp(int stride, int padding)
    {
        int[] inputShape = [2, 3, 7, 6], weightShape = [4, 3, 3, 2];
        var xs = MpcHarness.Uniform(2 * 3 * 7 * 6, -2, 2, seed: 49);
        var ws = MpcHarness.Uniform(4 * 3 * 3 * 2, -2, 2, seed: 50);
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var x = Encrypt(session, 1, xs, inputShape);
            var w = Encrypt(session, 0, ws, weightShape);
            var rounds = session.Communicator.Statistics.Rounds;
            var y = await EncryptedTensor.Conv2dAsync(x, w, stride, padding);
            Assert.Equal(2, session.Communicator.Statistics.Rounds - rounds);
            return await y.DecryptAsync();
        }, dealer => dealer.ServeConv2dAsync(inputShape, weightShape, stride, padding).AsTask());

        var expected = Tensor.FromArray(Quantized(xs), inputShape)
            .Conv2d(Tensor.FromArray(Quantized(ws), weightShape), stride: stride, padding: padding);
        foreach (var result in run.Results)
        {
            Assert.Equal(expected.ShapeToArray(), result.ShapeToArray());
            AssertClose(expected, result, Ulp, "conv2d");
        }
    }

    [Theory]
    [InlineData(2, 1, 0)]
    [InlineData(3, 1, 2)]
    [InlineData(3, 3, 1)]
    public async Task Conv2dAsync_ConvolutionTriple_OpensImagesAndKernelsOnce(int parties, int stride, int padding)
    {
        int[] inputShape = [3, 2, 9, 8], weightShape = [5, 2, 3, 3];
        var xs = MpcHarness.Uniform(3 * 2 * 9 * 8, -3, 3, seed: 61);
        var ws = MpcHarness.Uniform(5 * 2 * 3 * 3, -1, 1, seed: 62);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = Encrypt(session, parties - 1, xs, inputShape);
            var w = Encrypt(session, 0, ws, weightShape);
            var y = await EncryptedTensor.Conv2dAsync(x, w, stride, padding);
            return await y.DecryptAsync();
        });

        var expected = Tensor.FromArray(Quantized(xs), inputShape)
            .Conv2d(Tensor.FromArray(Quantized(ws), weightShape), stride: stride, padding: padding);
        foreach (var result in run.Results)
        {
            Assert.Equal(expected.ShapeToArray(), result.ShapeToArray());
            AssertClose(expected, result, Ulp, "conv2d");
        }

        // The images and kernels travel once, masked: 8 (N C H W + O C kh kw) bytes to each other party, in one round.
        for (var rank = 0; rank < parties; rank++)
        {
            var conv = run.Communicators[rank].Statistics.ByOperation["conv2d"];
            Assert.Equal(8L * ((3 * 2 * 9 * 8) + (5 * 2 * 3 * 3)) * (parties - 1), conv.BytesSent);
            Assert.Equal(1, conv.Rounds);
        }

        // The dealer sends c's correction, one element per output, to this request's receiver (request 0: party 0).
        var beaver = run.Sent("beaver").Where(m => m.From == run.Dealer).ToArray();
        Assert.Equal(8L * expected.Count, beaver.Sum(m => (long)m.Bytes));
        Assert.All(beaver, m => Assert.Equal(0, m.To));
        run.AssertCorrectionsRotate();
    }

    [Fact]
    public async Task MlpForward_EncryptedWeightsAndInput_MatchesPlaintext()
    {
        const int batch = 8, inputs = 10, hidden = 16, outputs = 3;
        var xs = MpcHarness.Uniform(batch * inputs, -1, 1, seed: 51);
        var w1 = MpcHarness.Uniform(inputs * hidden, -0.5, 0.5, seed: 52);
        var w2 = MpcHarness.Uniform(hidden * outputs, -0.5, 0.5, seed: 53);
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var weight1 = Encrypt(session, 0, w1, inputs, hidden);
            var weight2 = Encrypt(session, 0, w2, hidden, outputs);
            var x = Encrypt(session, 1, xs, batch, inputs);
            var h = await (await x.MatMulAsync(weight1)).ReluAsync();
            var y = await h.MatMulAsync(weight2);
            return await y.DecryptToAsync(1);
        }, async dealer =>
        {
            await dealer.ServeMatMulAsync(batch, inputs, hidden);
            await dealer.ServeReluAsync(batch * hidden);
            await dealer.ServeMatMulAsync(batch, hidden, outputs);
        });

        Assert.Null(run.Results[0]);
        var plain = Tensor.FromArray(xs, batch, inputs).MatMul(Tensor.FromArray(w1, inputs, hidden)).Relu()
            .MatMul(Tensor.FromArray(w2, hidden, outputs));
        // Input quantization (2^-17 per value, 10 + 16 terms) and one ulp per truncation, propagated through |w| <= 0.5.
        AssertClose(plain, run.Results[1]!, 1e-3, "mlp");
        Assert.True(plain.Sub(run.Results[1]!).Abs().Max().ToArray<double>()[0] > 0, "the MLP went through fixed point");
    }

    [Fact]
    public async Task Operations_WithMismatchedShapes_Throw()
    {
        await MpcHarness.RunAsync(2, session =>
        {
            var x = Encrypt(session, 0, new double[6], 2, 3);
            var y = Encrypt(session, 0, new double[6], 3, 2);
            Assert.Throws<ArgumentException>(() => x.Add(y));
            Assert.Throws<ArgumentException>(() => x.Reshape(4, 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => x.Sum(2));
            Assert.Throws<ArgumentException>(() => x.Add(Tensor.Zeros([3, 2], DType.Float64)));
            Assert.Throws<ArgumentException>(() => EncryptedTensor.Encrypt(session, session.Rank, null, 2, 3));
            return Task.FromResult(0);
        }, MpcHarness.NoDealerWork);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => MpcHarness.RunAsync(2, async session =>
        {
            var x = Encrypt(session, 0, new double[6], 1, 1, 2, 3);
            var w = Encrypt(session, 0, new double[8], 1, 2, 2, 2);
            return await EncryptedTensor.Conv2dAsync(x, w);
        }, MpcHarness.NoDealerWork));
    }

    private static EncryptedTensor Encrypt(MpcSession session, int owner, double[] values, params int[] shape) =>
        EncryptedTensor.Encrypt(session, owner, session.Rank == owner ? Tensor.FromArray(values, shape) : null, shape);

    private static double[] Quantized(double[] values) => values.Select(v => MpcHarness.Quantize(v)).ToArray();

    private static Tensor Full(Tensor like, double value) => Tensor.Full(like.ShapeToArray(), value, DType.Float64);

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        var e = expected.Contiguous().ToArray<double>();
        var a = actual.Contiguous().ToArray<double>();
        Assert.Equal(e.Length, a.Length);
        for (var i = 0; i < e.Length; i++)
        {
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance, $"{what}[{i}]: expected {e[i]}, got {a[i]} (tolerance {tolerance})");
        }
    }
}
