using Tessera.Mpc.Learning;
using Tessera.Mpc.Nn;
using Tessera.NN;
using Xunit.Abstractions;

namespace Tessera.Mpc.Tests.Nn;

/// <summary>
/// Unfolded batch norm (<see cref="EncryptedModelOptions.FoldBatchNorm"/> false) trains: SGD steps on shares against
/// Tessera.Core Float64 autograd written out by hand (batch statistics, biased variance in the normalisation, unbiased in
/// the running estimates, momentum 0.1), then the revealed weights and running estimates, and eval-mode forwards on
/// shares and in the revealed Core module, against the same reference.
/// </summary>
public sealed class EncryptedBatchNormTests(ITestOutputHelper output)
{
    private const double LearningRate = 0.2, Eps = 1e-5, Momentum = 0.1;
    private static readonly EncryptedModelOptions Unfolded = new() { FoldBatchNorm = false };

    [Fact]
    public async Task TrainStepAsync_BatchNorm1d_MatchesCoreAndRevealsRunningEstimates()
    {
        const int rows = 32, batch = 16, features = 6, hidden = 4, classes = 3, epochs = 2;
        var random = new SeededRandomSource(31);
        var module = new Sequential(
            new Linear(features, hidden, random: random), new BatchNorm1d(hidden), new ReLU(), new Linear(hidden, classes, random: random));
        var xs = Tensor.FromArray(MpcHarness.Uniform(rows * features, -2, 2, seed: 32), rows, features);
        var oneHot = OneHot(Enumerable.Range(0, rows).Select(i => (i * 7) % classes).ToArray(), classes);
        var state = Float64State(module);

        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var owner = session.Rank == 0;
            var model = await EncryptedModel.EncryptAsync(session, 0, owner ? module : null, owner ? Unfolded : new EncryptedModelOptions());
            var x = EncryptedTensor.Encrypt(session, 0, owner ? xs : null, rows, features);
            var y = EncryptedTensor.Encrypt(session, 1, owner ? null : oneHot, rows, classes);
            var sgd = new EncryptedSgd(model.Train(), LearningRate);
            for (var step = 0; step < epochs * rows / batch; step++)
            {
                var start = step * batch % rows;
                await model.TrainStepAsync(EncryptedModelTrainingTests.RowsOf(x, start, batch), EncryptedModelTrainingTests.RowsOf(y, start, batch), sgd);
            }

            model.Eval();
            var logits = (await (await model.ForwardAsync(x)).DecryptAsync()).ToArray<double>();
            return (Module: await model.RevealToAsync(0), Logits: logits);
        });

        for (var step = 0; step < epochs * rows / batch; step++)
        {
            var start = step * batch % rows;
            ReferenceStep(state, xs.Narrow(0, start, batch), oneHot.Narrow(0, start, batch), x => x.Linear(state, "0"), "1", h => h.Relu().Linear(state, "3"));
        }

        Assert.Null(run.Results[1].Module);
        var revealed = run.Results[0].Module!.StateDict();
        var worst = Compare(state, revealed);
        var expected = EvalForward(state, xs, x => x.Linear(state, "0"), "1", h => h.Relu().Linear(state, "3")).ToArray<double>();
        var onShares = run.Results[0].Logits.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        var inCore = run.Results[0].Module!.Forward(xs.To(DType.Float32)).To(DType.Float64).ToArray<double>().Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"max |state_mpc - state_core| = {worst:G3}; eval logits on shares {onShares:G3}, in the revealed module {inCore:G3}");
        Assert.Equal(new[] { "0.bias", "0.weight", "1.bias", "1.running_mean", "1.running_var", "1.weight", "3.bias", "3.weight" }, revealed.Keys.Order());
        Assert.True(worst <= 3e-3, $"state differs by {worst}");
        Assert.True(onShares <= 5e-3, $"eval logits on shares differ by {onShares}");
        Assert.True(inCore <= 5e-3, $"eval logits of the revealed module differ by {inCore}");
        Assert.All(run.Results, r => Assert.True(r.Logits.Length == rows * classes));
    }

    [Fact]
    public async Task TrainStepAsync_BatchNorm2dThreeParties_MatchesCore()
    {
        const int images = 8, classes = 2;
        var random = new SeededRandomSource(41);
        var module = new Sequential(
            new Conv2d(2, 3, 3, random: random), new BatchNorm2d(3), new ReLU(), new Flatten(), new Linear(3 * 4 * 4, classes, random: random));
        var xs = Tensor.FromArray(MpcHarness.Uniform(images * 2 * 6 * 6, -1.5, 1.5, seed: 42), images, 2, 6, 6);
        var oneHot = OneHot(Enumerable.Range(0, images).Select(i => i % classes).ToArray(), classes);
        var state = Float64State(module);

        var run = await MpcHarness.RunAsync(3, async session =>
        {
            var owner = session.Rank == 0;
            var model = await EncryptedModel.EncryptAsync(session, 0, owner ? module : null, Unfolded);
            var x = EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? xs : null, images, 2, 6, 6);
            var y = EncryptedTensor.Encrypt(session, 2, session.Rank == 2 ? oneHot : null, images, classes);
            var sgd = new EncryptedSgd(model.Train(), LearningRate);
            for (var step = 0; step < 3; step++)
            {
                await model.TrainStepAsync(x, y, sgd);
            }

            return await model.RevealToAsync(2);
        });

        Func<Tensor, Tensor> conv = x => x.Conv2d(state["0.weight"], state["0.bias"]);
        Func<Tensor, Tensor> head = h => h.Relu().Flatten(1).Linear(state, "4");
        for (var step = 0; step < 3; step++)
        {
            ReferenceStep(state, xs, oneHot, conv, "1", head);
        }

        Assert.Null(run.Results[0]);
        Assert.Null(run.Results[1]);
        var worst = Compare(state, run.Results[2]!.StateDict());
        output.WriteLine($"max |state_mpc - state_core| = {worst:G3} after 3 steps, 3 parties");
        Assert.True(worst <= 3e-3, $"state differs by {worst}");
    }

    [Fact]
    public async Task ForwardAsync_OneValuePerChannelInTraining_IsRefusedWithTheShape()
    {
        var module = new Sequential(new Linear(3, 2), new BatchNorm1d(2));
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var model = (await EncryptedModel.EncryptAsync(session, 0, session.Rank == 0 ? module : null, Unfolded)).Train();
            var x = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Tensor.Ones([1, 3], DType.Float64) : null, 1, 3);
            var wrongChannels = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Tensor.Ones([4, 3], DType.Float64) : null, 4, 3);
            var one = await Assert.ThrowsAsync<ArgumentException>(async () => await model.ForwardAsync(x));
            var channels = await Assert.ThrowsAsync<ArgumentException>(async () => await ((EncryptedSequential)model.Root).Layers[1].Layer.ForwardAsync(wrongChannels));
            return (one.Message, channels.Message);
        });

        Assert.All(run.Results, r =>
        {
            Assert.Contains("more than one value per channel", r.Item1, StringComparison.Ordinal);
            Assert.Contains("[1, 2]", r.Item1, StringComparison.Ordinal);
            Assert.Contains("2 channels", r.Item2, StringComparison.Ordinal);
            Assert.Contains("[4, 3]", r.Item2, StringComparison.Ordinal);
        });
    }

    /// <summary>One SGD step of the reference: layers before the norm, the norm in training mode, the rest; softmax cross-entropy.</summary>
    private static void ReferenceStep(
        Dictionary<string, Tensor> state, Tensor x, Tensor oneHot, Func<Tensor, Tensor> before, string norm, Func<Tensor, Tensor> after)
    {
        foreach (var name in state.Keys.Where(k => !k.Contains("running", StringComparison.Ordinal)).ToArray())
        {
            state[name] = state[name].Detach().WithGrad();
        }

        var h = before(x);
        var dims = Enumerable.Range(0, h.Rank).Where(d => d != 1).ToArray();
        var perChannel = Enumerable.Range(0, h.Rank).Select(d => d == 1 ? h.Size(1) : 1).ToArray();
        var mean = h.Mean(dims, keepDim: true);
        var centered = h.Sub(mean);
        var variance = centered.Mul(centered).Mean(dims, keepDim: true);
        var normalized = centered.Div(variance.Add(Eps).Sqrt()).Mul(state[$"{norm}.weight"].Reshape(perChannel)).Add(state[$"{norm}.bias"].Reshape(perChannel));
        var logits = after(normalized);
        var loss = logits.LogSoftmax(-1).Mul(oneHot).Sum().Mul(Tensor.Full([], -1.0 / x.Size(0), DType.Float64));
        loss.Backward();

        var count = h.Count / h.Size(1);
        var c = h.Size(1);
        state[$"{norm}.running_mean"] = state[$"{norm}.running_mean"].Mul(1 - Momentum).Add(mean.Detach().Reshape(c).Mul(Momentum));
        state[$"{norm}.running_var"] = state[$"{norm}.running_var"].Mul(1 - Momentum).Add(variance.Detach().Reshape(c).Mul(Momentum * count / (count - 1)));
        foreach (var name in state.Keys.Where(k => !k.Contains("running", StringComparison.Ordinal)).ToArray())
        {
            state[name] = state[name].Detach().Sub(state[name].Grad!.Mul(LearningRate));
        }
    }

    private static Tensor EvalForward(Dictionary<string, Tensor> state, Tensor x, Func<Tensor, Tensor> before, string norm, Func<Tensor, Tensor> after)
    {
        var h = before(x);
        var perChannel = Enumerable.Range(0, h.Rank).Select(d => d == 1 ? h.Size(1) : 1).ToArray();
        var scale = state[$"{norm}.running_var"].Add(Eps).Sqrt().Reshape(perChannel);
        var normalized = h.Sub(state[$"{norm}.running_mean"].Reshape(perChannel)).Div(scale)
            .Mul(state[$"{norm}.weight"].Reshape(perChannel)).Add(state[$"{norm}.bias"].Reshape(perChannel));
        return after(normalized);
    }

    private static Dictionary<string, Tensor> Float64State(Module module) =>
        module.StateDict().ToDictionary(kv => kv.Key, kv => Tensor.FromArray(kv.Value.To(DType.Float64).Contiguous().ToArray<double>(), kv.Value.ShapeToArray()));

    private static double Compare(Dictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> actual) =>
        expected.Max(kv => kv.Value.Detach().Contiguous().ToArray<double>()
            .Zip(actual[kv.Key].To(DType.Float64).Contiguous().ToArray<double>(), (e, a) => Math.Abs(e - a)).Max());

    private static Tensor OneHot(int[] labels, int classes)
    {
        var values = new double[labels.Length * classes];
        for (var i = 0; i < labels.Length; i++)
        {
            values[(i * classes) + labels[i]] = 1;
        }

        return Tensor.FromArray(values, labels.Length, classes);
    }
}

/// <summary>A Linear layer of the reference, from a Float64 state.</summary>
internal static class ReferenceLayers
{
    public static Tensor Linear(this Tensor x, IReadOnlyDictionary<string, Tensor> state, string layer) =>
        x.MatMul(state[$"{layer}.weight"].T).Add(state[$"{layer}.bias"]);
}
