using Tessera.Mpc.Learning;
using Tessera.NN;
using Xunit.Abstractions;

namespace Tessera.Mpc.Tests;

/// <summary>
/// Encrypted autograd against Tessera.Core autograd on the same (quantized) values, 2 and 3 parties, f = 16, dealer on
/// request. Each test states its tolerance on the decrypted gradients and prints the measured maximum error.
/// </summary>
public sealed class EncryptedAutogradTests(ITestOutputHelper output)
{
    public static TheoryData<int> Parties => new() { 2, 3 };

    [Theory]
    [MemberData(nameof(Parties))]
    public async Task BackwardAsync_LinearProductsReluShapes_MatchCoreGradients(int parties)
    {
        var xs = Quantized(MpcHarness.Uniform(12, -2, 2, seed: 81));
        var ws = Quantized(MpcHarness.Uniform(6, -2, 2, seed: 82));
        var bs = Quantized(MpcHarness.Uniform(2, -1, 1, seed: 83));
        var vs = Quantized(MpcHarness.Uniform(8, -2, 2, seed: 84));
        var ps = Quantized(MpcHarness.Uniform(6, -2, 2, seed: 85));
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = Own(session, 0, xs, 4, 3).WithGrad();
            var w = Own(session, parties - 1, ws, 3, 2).WithGrad();
            var b = Own(session, 0, bs, 2).WithGrad();
            var v = Tensor.FromArray(vs, 4, 2);
            var p = Tensor.FromArray(ps, 3, 2);
            var relu = await (await x.MatMulAsync(w)).Add(b).ReluAsync();
            var t1 = (await relu.MulAsync(v)).Sum();
            var t2 = await (await x.MulAsync(x)).MeanAsync();
            var t3 = x.Transpose().Reshape(-1).Mul(3).Sum(0);
            var t4 = (await x.MatMulAsync(p)).Neg().Add(2.0).Sub(0.5).Sum(1).Sum();
            var t5 = (await w.MulAsync(w.Neg())).Sum();
            var loss = t1.Add(t2).Add(t3).Add(t4).Add(t5);
            await loss.BackwardAsync();
            return new[] { await x.Grad!.DecryptAsync(), await w.Grad!.DecryptAsync(), await b.Grad!.DecryptAsync() };
        });

        var cx = Tensor.FromArray((double[])xs.Clone(), 4, 3).WithGrad();
        var cw = Tensor.FromArray((double[])ws.Clone(), 3, 2).WithGrad();
        var cb = Tensor.FromArray((double[])bs.Clone(), 2).WithGrad();
        var cv = Tensor.FromArray(vs, 4, 2);
        var cp = Tensor.FromArray(ps, 3, 2);
        var core = cx.MatMul(cw).Add(cb).Relu().Mul(cv).Sum()
            .Add(cx.Mul(cx).Mean())
            .Add(cx.T.Reshape(-1).Mul(Tensor.Full([12], 3.0, DType.Float64)).Sum(0))
            .Add(cx.MatMul(cp).Neg().Add(Tensor.Full([4, 2], 1.5, DType.Float64)).Sum(1).Sum())
            .Add(cw.Mul(cw.Neg()).Sum());
        core.Backward();
        foreach (var result in run.Results)
        {
            AssertGrad("x", cx.Grad!, result[0], 1e-3);
            AssertGrad("w", cw.Grad!, result[1], 1e-3);
            AssertGrad("b", cb.Grad!, result[2], 1e-3);
        }
    }

    [Theory]
    [InlineData(2, 1, 0)]
    [InlineData(3, 2, 1)]
    public async Task BackwardAsync_Conv2d_MatchesCoreGradients(int parties, int stride, int padding)
    {
        int[] inputShape = [2, 3, 7, 6], weightShape = [4, 3, 3, 2];
        var xs = Quantized(MpcHarness.Uniform(2 * 3 * 7 * 6, -2, 2, seed: 95));
        var ws = Quantized(MpcHarness.Uniform(4 * 3 * 3 * 2, -1, 1, seed: 96));
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = Own(session, parties - 1, xs, inputShape).WithGrad();
            var w = Own(session, 0, ws, weightShape).WithGrad();
            var y = await EncryptedTensor.Conv2dAsync(x, w, stride, padding);
            var loss = (await y.MulAsync(y)).Sum();
            await loss.BackwardAsync();
            return new[] { await x.Grad!.DecryptAsync(), await w.Grad!.DecryptAsync() };
        });

        var cx = Tensor.FromArray((double[])xs.Clone(), inputShape).WithGrad();
        var cw = Tensor.FromArray((double[])ws.Clone(), weightShape).WithGrad();
        var cy = cx.Conv2d(cw, stride: stride, padding: padding);
        cy.Mul(cy).Sum().Backward();
        foreach (var result in run.Results)
        {
            // dL/dy = 2y (one ulp per truncation) summed over up to 18 taps (dX) or up to N P = 84 positions (dW) of values
            // below 2: a few ulps of 2^-16 times those counts (measured 1.2e-4 and 3.1e-4).
            AssertGrad("x", cx.Grad!, result[0], 1e-3);
            AssertGrad("w", cw.Grad!, result[1], 1e-3);
        }
    }

    [Theory]
    [MemberData(nameof(Parties))]
    public async Task BackwardAsync_SmoothFunctions_MatchCoreGradients(int parties)
    {
        var zs = Quantized(MpcHarness.Uniform(12, -3, 3, seed: 91));
        var ts = Quantized(MpcHarness.Uniform(12, -1, 1, seed: 92));
        var ds = Quantized(MpcHarness.Uniform(12, 0.5, 5, seed: 93));
        var names = new[] { "sigmoid", "tanh", "exp", "softmax", "log-softmax", "log", "reciprocal", "div" };
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var grads = new List<Tensor>();
            for (var k = 0; k < names.Length; k++)
            {
                var z = Own(session, 0, zs, 3, 4).WithGrad();
                var d = Own(session, parties - 1, ds, 3, 4).WithGrad();
                var t = Tensor.FromArray(ts, 3, 4);
                var y = k switch
                {
                    0 => await z.SigmoidAsync(),
                    1 => await z.TanhAsync(),
                    2 => await z.ExpAsync(),
                    3 => await z.SoftmaxAsync(),
                    4 => await z.LogSoftmaxAsync(),
                    5 => await d.LogAsync(),
                    6 => await d.ReciprocalAsync(),
                    _ => await z.DivAsync(d),
                };
                await (await y.MulAsync(t)).Sum().BackwardAsync();
                grads.Add(await (k is 5 or 6 ? d : z).Grad!.DecryptAsync());
                if (k == 7)
                {
                    grads.Add(await d.Grad!.DecryptAsync());
                }
            }

            return grads;
        });

        var tolerances = new[] { 2e-3, 4e-3, 2e-3, 3e-3, 5e-3, 2e-3, 2e-3, 2e-3, 2e-3 };
        for (var k = 0; k < names.Length; k++)
        {
            var cz = Tensor.FromArray((double[])zs.Clone(), 3, 4).WithGrad();
            var cd = Tensor.FromArray((double[])ds.Clone(), 3, 4).WithGrad();
            var ct = Tensor.FromArray(ts, 3, 4);
            var cy = k switch
            {
                0 => cz.Sigmoid(),
                1 => cz.Tanh(),
                2 => cz.Exp(),
                3 => cz.Softmax(-1),
                4 => cz.LogSoftmax(-1),
                5 => cd.Log(),
                6 => Tensor.Ones([3, 4], DType.Float64).Div(cd),
                _ => cz.Div(cd),
            };
            cy.Mul(ct).Sum().Backward();
            foreach (var result in run.Results)
            {
                AssertGrad(names[k], (k is 5 or 6 ? cd : cz).Grad!, result[k], tolerances[k], k == 2 ? 0.02 : 0);
                if (k == 7)
                {
                    AssertGrad("div divisor", cd.Grad!, result[k + 1], tolerances[k + 1]);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Parties))]
    public async Task Losses_ValueAndGradient_MatchCoreLosses(int parties)
    {
        const int rows = 5, classes = 4;
        var zs = Quantized(MpcHarness.Uniform(rows * classes, -4, 4, seed: 101));
        var labels = new long[] { 0, 3, 1, 2, 3 };
        var oneHot = new double[rows * classes];
        for (var i = 0; i < rows; i++)
        {
            oneHot[(i * classes) + labels[i]] = 1;
        }

        var binary = Quantized(MpcHarness.Uniform(rows * classes, 0, 1, seed: 102)).Select(v => v < 0.5 ? 0.0 : 1.0).ToArray();
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var results = new List<Tensor>();
            for (var k = 0; k < 3; k++)
            {
                var z = Own(session, 0, zs, rows, classes).WithGrad();
                var y = Own(session, 1, k == 1 ? oneHot : binary, rows, classes);
                var loss = k switch
                {
                    0 => await EncryptedLoss.BinaryCrossEntropyWithLogitsAsync(z, y),
                    1 => await EncryptedLoss.SoftmaxCrossEntropyAsync(z, y),
                    _ => await EncryptedLoss.MeanSquaredErrorAsync(z, y),
                };
                await loss.BackwardAsync();
                results.Add(await loss.DecryptAsync());
                results.Add(await z.Grad!.DecryptAsync());
            }

            return results;
        });

        for (var k = 0; k < 3; k++)
        {
            var cz = Tensor.FromArray((double[])zs.Clone(), rows, classes).WithGrad();
            var loss = k switch
            {
                0 => new BceWithLogitsLoss().Forward(cz, Tensor.FromArray(binary, rows, classes)),
                1 => new CrossEntropyLoss().Forward(cz, Tensor.FromArray(labels, rows)),
                _ => new MseLoss().Forward(cz, Tensor.FromArray(binary, rows, classes)),
            };
            loss.Backward();
            var name = new[] { "bce with logits", "softmax cross-entropy", "mse" }[k];
            foreach (var result in run.Results)
            {
                AssertGrad(name + " value", loss.Detach(), result[2 * k], 0.01);
                AssertGrad(name + " gradient", cz.Grad!, result[(2 * k) + 1], 1e-3);
            }
        }
    }

    private static double[] Quantized(double[] values) => values.Select(v => MpcHarness.Quantize(v)).ToArray();

    private static EncryptedTensor Own(MpcSession session, int owner, double[] values, params int[] shape) =>
        EncryptedTensor.Encrypt(session, owner, session.Rank == owner ? Tensor.FromArray(values, shape) : null, shape);

    private void AssertGrad(string what, Tensor expected, Tensor actual, double tolerance, double relative = 0)
    {
        var e = expected.Contiguous().ToArray<double>();
        var a = actual.Contiguous().ToArray<double>();
        Assert.Equal(e.Length, a.Length);
        var worst = e.Zip(a, (p, q) => Math.Abs(p - q)).Max();
        var excess = e.Zip(a, (p, q) => Math.Abs(p - q) - (relative * Math.Abs(p))).Max();
        output.WriteLine($"{what}: max absolute error {worst:G3} (tolerance {tolerance} + {relative} |g|)");
        Assert.True(excess <= tolerance, $"{what}: max error {worst} above {tolerance}; expected [{string.Join(", ", e)}], got [{string.Join(", ", a)}]");
    }
}
