using Tessera.Mpc.Nn;
using Xunit.Abstractions;

namespace Tessera.Mpc.Tests.Nn;

/// <summary>
/// Backward of the encrypted nn's own operations (Expand, max pooling, average pooling, the per-channel affine, Flatten)
/// against Tessera.Core autograd on the same quantized values (multiples of 2^-16), 2 and 3 parties. The upstream gradient
/// is an encrypted tensor of quantized values; max pooling, Expand and Flatten are exact (tolerance 0), average pooling
/// and the affine one truncation per element (tolerance 1e-4, measured errors printed).
/// </summary>
public sealed class LayerBackwardTests(ITestOutputHelper output)
{
    public static TheoryData<int> Parties => new() { 2, 3 };

    [Theory]
    [MemberData(nameof(Parties))]
    public async Task MaxPool2dBackward_TiesAndPadding_RoutesToFirstMaximumExactly(int parties)
    {
        // Values on a coarse grid, so windows have ties; negatives, padding and overlapping windows.
        var xs = Enumerable.Range(0, 2 * 3 * 5 * 5).Select(i => ((i * 7 % 11) - 6) * 0.25).ToArray();
        var g1 = Quantized(MpcHarness.Uniform(2 * 3 * 3 * 3, -2, 2, seed: 91));
        var g2 = Quantized(MpcHarness.Uniform(2 * 3 * 2 * 2, -2, 2, seed: 92));
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = Own(session, 0, xs, 2, 3, 5, 5).WithGrad();
            var a = await x.MaxPool2dAsync((3, 3), (2, 2), (1, 1));
            var b = await x.MaxPool2dAsync((2, 2));
            await a.BackwardAsync(Own(session, parties - 1, g1, 2, 3, 3, 3));
            await b.BackwardAsync(Own(session, parties - 1, g2, 2, 3, 2, 2));
            return await x.Grad!.DecryptAsync();
        });

        var cx = Tensor.FromArray((double[])xs.Clone(), 2, 3, 5, 5).WithGrad();
        cx.MaxPool2d((3, 3), (2, 2), (1, 1)).Backward(Tensor.FromArray(g1, 2, 3, 3, 3));
        cx.MaxPool2d((2, 2)).Backward(Tensor.FromArray(g2, 2, 3, 2, 2));
        foreach (var result in run.Results)
        {
            AssertGrad("max pool x", cx.Grad!, result, 0);
        }
    }

    [Theory]
    [MemberData(nameof(Parties))]
    public async Task MaxPool2dBackward_2x2_TakesTwoRounds(int parties)
    {
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = Own(session, 0, MpcHarness.Uniform(16, -1, 1, seed: 3), 1, 1, 4, 4).WithGrad();
            var y = (await x.MaxPool2dAsync((2, 2))).Sum();
            var before = session.Communicator.Statistics.Rounds;
            await y.BackwardAsync();
            return session.Communicator.Statistics.Rounds - before;
        });

        Assert.All(run.Results, rounds => Assert.Equal(2, rounds));
    }

    [Theory]
    [MemberData(nameof(Parties))]
    public async Task AvgPool2dAndExpandBackward_MatchCore(int parties)
    {
        var xs = Quantized(MpcHarness.Uniform(2 * 2 * 6 * 6, -3, 3, seed: 93));
        var bs = Quantized(MpcHarness.Uniform(2, -1, 1, seed: 94));
        var gs = Quantized(MpcHarness.Uniform(2 * 2 * 2 * 2, -2, 2, seed: 95));
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = Own(session, 0, xs, 2, 2, 6, 6).WithGrad();
            var b = Own(session, parties - 1, bs, 2).WithGrad();
            var shifted = x.Add(b.Reshape(1, 2, 1, 1).Expand(2, 2, 6, 6));
            var y = await shifted.AvgPool2dAsync((3, 3), null, (1, 1));
            await y.BackwardAsync(Own(session, 0, gs, 2, 2, 2, 2));
            return new[] { await x.Grad!.DecryptAsync(), await b.Grad!.DecryptAsync() };
        });

        var cx = Tensor.FromArray((double[])xs.Clone(), 2, 2, 6, 6).WithGrad();
        var cb = Tensor.FromArray((double[])bs.Clone(), 2).WithGrad();
        cx.Add(cb.Reshape(1, 2, 1, 1).Expand(2, 2, 6, 6)).AvgPool2d((3, 3), null, (1, 1)).Backward(Tensor.FromArray(gs, 2, 2, 2, 2));
        foreach (var result in run.Results)
        {
            AssertGrad("avg pool x", cx.Grad!, result[0], 1e-4);
            AssertGrad("expanded bias", cb.Grad!, result[1], 1e-3);
        }
    }

    [Theory]
    [MemberData(nameof(Parties))]
    public async Task ChannelAffineAndFlattenBackward_MatchCore(int parties)
    {
        var xs = Quantized(MpcHarness.Uniform(3 * 2 * 2 * 2, -2, 2, seed: 96));
        var ss = Quantized(MpcHarness.Uniform(2, 0.5, 2, seed: 97));
        var ts = Quantized(MpcHarness.Uniform(2, -1, 1, seed: 98));
        var gs = Quantized(MpcHarness.Uniform(3 * 8, -2, 2, seed: 99));
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = Own(session, 0, xs, 3, 2, 2, 2).WithGrad();
            var scale = Own(session, 0, ss, 2).WithGrad();
            var shift = Own(session, 0, ts, 2).WithGrad();
            var affine = new EncryptedChannelAffine("affine", scale, shift);
            var y = await new EncryptedFlatten(1, -1).ForwardAsync(await affine.ForwardAsync(x));
            await y.BackwardAsync(Own(session, parties - 1, gs, 3, 8));
            return new[] { await x.Grad!.DecryptAsync(), await scale.Grad!.DecryptAsync(), await shift.Grad!.DecryptAsync() };
        });

        var cx = Tensor.FromArray((double[])xs.Clone(), 3, 2, 2, 2).WithGrad();
        var cs = Tensor.FromArray((double[])ss.Clone(), 2).WithGrad();
        var ct = Tensor.FromArray((double[])ts.Clone(), 2).WithGrad();
        cx.Mul(cs.Reshape(1, 2, 1, 1)).Add(ct.Reshape(1, 2, 1, 1)).Flatten(1).Backward(Tensor.FromArray(gs, 3, 8));
        foreach (var result in run.Results)
        {
            AssertGrad("affine x", cx.Grad!, result[0], 1e-4);
            AssertGrad("affine scale", cs.Grad!, result[1], 1e-3);
            AssertGrad("affine shift", ct.Grad!, result[2], 0);
        }
    }

    [Fact]
    public async Task ArgMaxBackward_Refuses()
    {
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var x = Own(session, 0, [1, 3, 2], 1, 3).WithGrad();
            var oneHot = await x.ArgMaxAsync();
            var e = await Assert.ThrowsAsync<NotSupportedException>(async () => await oneHot.BackwardAsync(oneHot.Detach()));
            return e.Message;
        });

        Assert.All(run.Results, m => Assert.Contains("ArgMax has no gradient", m));
    }

    private static double[] Quantized(double[] values) => values.Select(v => MpcHarness.Quantize(v)).ToArray();

    private static EncryptedTensor Own(MpcSession session, int owner, double[] values, params int[] shape) =>
        EncryptedTensor.Encrypt(session, owner, session.Rank == owner ? Tensor.FromArray(values, shape) : null, shape);

    private void AssertGrad(string what, Tensor expected, Tensor actual, double tolerance)
    {
        var e = expected.Contiguous().ToArray<double>();
        var a = actual.Contiguous().ToArray<double>();
        Assert.Equal(e.Length, a.Length);
        var worst = e.Zip(a, (p, q) => Math.Abs(p - q)).Max();
        output.WriteLine($"{what}: max absolute error {worst:G3} (tolerance {tolerance})");
        Assert.True(worst <= tolerance, $"{what}: max absolute error {worst} exceeds {tolerance}");
    }
}
