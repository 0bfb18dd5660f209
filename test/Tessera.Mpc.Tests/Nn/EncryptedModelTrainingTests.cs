using System.Diagnostics;
using Tessera.Data;
using Tessera.Mpc.Learning;
using Tessera.Mpc.Nn;
using Tessera.Mpc.Sharing;
using Tessera.NN;
using Xunit.Abstractions;

namespace Tessera.Mpc.Tests.Nn;

/// <summary>
/// Use case 5 with an encrypted nn: the model owner (party 0, also Alice) encrypts a small Tessera.Core CNN, Alice and Bob
/// (party 1) each encrypt half of 256 real MNIST training images with their labels, every batch mixes both halves, and a
/// few SGD steps with softmax cross-entropy run on shares; only the owner gets the trained Core module back. Reference:
/// Tessera.Core autograd in Float64 from the same initial weights on the same batches.
/// </summary>
public sealed class EncryptedModelTrainingTests(ITestOutputHelper output)
{
    private const int Images = 256, Half = Images / 2, Batch = 64, Steps = Images / Batch;
    private const double LearningRate = 0.1;

    [Fact]
    public async Task TrainStepAsync_SmallCnnOnMnistFromAliceAndBob_MatchesCoreSgdAndRevealsToOwner()
    {
        var watch = Stopwatch.StartNew();
        var directory = await MnistForTests.DirectoryAsync();
        var train = MnistForTests.Load(directory, MnistSplit.Train);
        var images = train.Inputs.Narrow(0, 0, Images).To(DType.Float64).Contiguous();
        var labels = train.Targets.Narrow(0, 0, Images).Contiguous().ToArray<long>();
        var oneHot = OneHot(labels);
        var random = new SeededRandomSource(21);
        var model = new Sequential(
            new Conv2d(1, 4, 3, random: random), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 13 * 13, 10, random: random));
        var initial = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.To(DType.Float64).Contiguous());

        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var alice = session.Rank == 0;
            var encrypted = await EncryptedModel.EncryptAsync(session, 0, alice ? model : null);
            var x0 = EncryptedTensor.Encrypt(session, 0, alice ? images.Narrow(0, 0, Half).Contiguous() : null, Half, 1, 28, 28);
            var x1 = EncryptedTensor.Encrypt(session, 1, alice ? null : images.Narrow(0, Half, Half).Contiguous(), Half, 1, 28, 28);
            var y0 = EncryptedTensor.Encrypt(session, 0, alice ? oneHot.Narrow(0, 0, Half).Contiguous() : null, Half, 10);
            var y1 = EncryptedTensor.Encrypt(session, 1, alice ? null : oneHot.Narrow(0, Half, Half).Contiguous(), Half, 10);
            encrypted.Train();
            var sgd = new EncryptedSgd(encrypted, LearningRate);
            var losses = new List<double>();
            var rounds = 0L;
            var bytes = 0L;
            for (var step = 0; step < Steps; step++)
            {
                var (r0, b0) = (session.Communicator.Statistics.Rounds, session.Communicator.Statistics.BytesSent);
                var loss = await encrypted.TrainStepAsync(BatchOf(x0, x1, step), BatchOf(y0, y1, step), sgd);
                (rounds, bytes) = (session.Communicator.Statistics.Rounds - r0, session.Communicator.Statistics.BytesSent - b0);
                losses.Add((await loss.DecryptAsync()).ToArray<double>()[0]);
            }

            encrypted.Eval();
            return (Module: await encrypted.RevealToAsync(0), Losses: losses.ToArray(), Rounds: rounds, Bytes: bytes);
        });

        var mpcSeconds = watch.Elapsed.TotalSeconds;
        Assert.Null(run.Results[1].Module);
        var revealed = run.Results[0].Module!;
        Assert.IsType<Sequential>(revealed);
        Assert.False(revealed.IsTraining);

        // Plaintext: Float64 copies of the initial weights, Core autograd, plain SGD, the same mixed batches.
        var p = initial.ToDictionary(kv => kv.Key, kv => Tensor.FromArray(kv.Value.ToArray<double>(), kv.Value.ShapeToArray()).WithGrad());
        var coreSgd = new Tessera.Optim.Sgd(p.Values, LearningRate);
        var coreLosses = new List<double>();
        for (var step = 0; step < Steps; step++)
        {
            var rows = BatchRows(step);
            var x = Tensor.Cat([images.Narrow(0, rows.A, Batch / 2), images.Narrow(0, rows.B, Batch / 2)]);
            var y = Tensor.Cat([oneHot.Narrow(0, rows.A, Batch / 2), oneHot.Narrow(0, rows.B, Batch / 2)]);
            coreSgd.ZeroGrad();
            var loss = CoreLoss(p, x, y);
            coreLosses.Add(loss.ToArray<double>()[0]);
            loss.Backward();
            coreSgd.Step();
        }

        var worst = 0.0;
        foreach (var (name, parameter) in revealed.NamedParameters())
        {
            var expected = p[name].Detach().Contiguous().ToArray<double>();
            var actual = parameter.To(DType.Float64).Contiguous().ToArray<double>();
            worst = Math.Max(worst, expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max());
        }

        var mpcLosses = run.Results[0].Losses;
        var lossError = mpcLosses.Zip(coreLosses, (a, b) => Math.Abs(a - b)).Max();
        var all = Tensor.FromArray(images.ToArray<double>(), Images, 1, 28, 28);
        var before = CoreLoss(initial, all, oneHot).ToArray<double>()[0];
        var after = CoreLoss(revealed.NamedParameters().ToDictionary(q => q.Name, q => q.Parameter.To(DType.Float64)), all, oneHot)
            .ToArray<double>()[0];
        output.WriteLine(
            $"{Steps} steps of batch {Batch} in {mpcSeconds:F1} s; losses mpc [{string.Join(", ", mpcLosses.Select(l => l.ToString("F4")))}], "
            + $"core [{string.Join(", ", coreLosses.Select(l => l.ToString("F4")))}]; max |w_mpc - w_core| = {worst:G3}; "
            + $"loss on all {Images} images {before:F4} -> {after:F4}; one step {run.Results[0].Rounds} rounds, "
            + $"{run.Results[0].Bytes / 1e6:F1} MB sent by party 0");
        Assert.True(worst <= 2e-3, $"weights differ by {worst}");
        Assert.True(lossError <= 5e-3, $"losses differ by {lossError}");
        Assert.True(after < before - 0.1, $"the loss did not go down: {before} -> {after}");

        // The revealed module is a usable Core model: its own forward gives the logits of its weights, and it classifies
        // the images as the reference weights do (up to near-ties).
        var revealedWeights = revealed.NamedParameters().ToDictionary(q => q.Name, q => q.Parameter.To(DType.Float64));
        var logits = revealed.Forward(all.To(DType.Float32)).To(DType.Float64).ToArray<double>();
        var own = Forward(revealedWeights, all).ToArray<double>();
        var reference = Forward(p.ToDictionary(kv => kv.Key, kv => kv.Value.Detach()), all);
        var agree = revealed.Forward(all.To(DType.Float32)).ArgMax(-1).ToArray<long>()
            .Zip(reference.ArgMax(-1).ToArray<long>(), (a, b) => a == b ? 1 : 0).Sum();
        output.WriteLine($"revealed module: max |logit - own Float64 logit| {logits.Zip(own, (a, b) => Math.Abs(a - b)).Max():G3}; "
            + $"predictions agree with Core training on {agree}/{Images}");
        Assert.True(logits.Zip(own, (a, b) => Math.Abs(a - b)).Max() < 1e-3);
        Assert.True(agree >= Images - 3, $"only {agree} of {Images} predictions agree with the Core-trained weights");
    }

    [Fact]
    public async Task TrainStepAsync_MlpAsEncryptedModel_MatchesEncryptedMlp()
    {
        // The same 30-16-2 MLP, softmax cross-entropy, the same batches, once as an EncryptedModel and once as EncryptedMlp,
        // in one session: the two differ only by truncation randomness (tolerance 1e-3 on the weights after 8 steps).
        var data = SyntheticPatients.Generate(200, 30, seed: 5);
        var labels = data.LabelRows(0, 200).Contiguous().ToArray<double>().Select(v => (long)v).ToArray();
        var oneHot = Tensor.FromArray(labels.SelectMany(l => l == 0 ? new[] { 1.0, 0.0 } : [0.0, 1.0]).ToArray(), 200, 2);
        var random = new SeededRandomSource(6);
        var layers = new[] { new Linear(30, 16, random: random), new Linear(16, 2, random: random) };
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var owner = session.Rank == 0;
            var model = await EncryptedModel.EncryptAsync(session, 0, owner ? new Sequential(layers[0], new ReLU(), layers[1]) : null);
            var mlp = EncryptedMlp.Encrypt(session, 0, owner ? layers : null, [30, 16, 2]);
            var x = EncryptedTensor.Encrypt(session, 0, owner ? data.FeatureRows(0, 200) : null, 200, 30);
            var y = EncryptedTensor.Encrypt(session, 1, owner ? null : oneHot, 200, 2);
            var modelSgd = new EncryptedSgd(model.Train(), 0.5);
            var mlpSgd = new EncryptedSgd(mlp.Parameters, 0.5);
            for (var start = 0; start < 200; start += 25)
            {
                var (xb, yb) = (RowsOf(x, start, 25), RowsOf(y, start, 25));
                await model.TrainStepAsync(xb, yb, modelSgd);
                await mlp.TrainStepAsync(xb, yb, mlpSgd);
            }

            var fromModel = new List<double[]>();
            foreach (var p in model.Parameters())
            {
                fromModel.Add((await p.DecryptAsync()).ToArray<double>());
            }

            var fromMlp = new List<double[]>();
            foreach (var p in mlp.Parameters)
            {
                fromMlp.Add((await p.DecryptAsync()).ToArray<double>());
            }

            return fromModel.Zip(fromMlp, (a, b) => a.Zip(b, (u, v) => Math.Abs(u - v)).Max()).Max();
        });

        output.WriteLine($"max |w_model - w_mlp| = {run.Results[0]:G3} after 8 steps");
        Assert.All(run.Results, worst => Assert.True(worst <= 1e-3, $"weights differ by {worst}"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Dropout_InTraining_MasksWithOneSharedMaskAndScalesTheGradient_IdentityInEval(int parties)
    {
        const double p = 0.3;
        const int rows = 8, width = 125;
        var module = new Sequential(new Dropout(p));
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var encrypted = await EncryptedModel.EncryptAsync(session, 0, session.Rank == 0 ? module : null);
            var x = EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? Tensor.Full([rows, width], 1.5, DType.Float64) : null, rows, width).WithGrad();
            var eval = await (await encrypted.ForwardAsync(x)).DecryptAsync();
            encrypted.Train();
            var y = await encrypted.ForwardAsync(x);
            await y.Sum().BackwardAsync();
            var second = await (await encrypted.ForwardAsync(EncryptedTensor.FromShares(x.Shares))).DecryptAsync();
            return (Eval: eval.ToArray<double>(), Train: (await y.DecryptAsync()).ToArray<double>(),
                Grad: (await x.Grad!.DecryptAsync()).ToArray<double>(), Second: second.ToArray<double>());
        });

        var result = run.Results[0];
        Assert.All(result.Eval, v => Assert.Equal(1.5, v, 1e-9));
        var kept = 1 / (1 - p);
        var dropped = 0;
        for (var i = 0; i < result.Train.Length; i++)
        {
            // Either dropped (0) or kept and scaled by 1 / (1 - p), and the gradient of the sum follows the same mask.
            var isDropped = Math.Abs(result.Train[i]) < 1e-4;
            dropped += isDropped ? 1 : 0;
            Assert.Equal(isDropped ? 0 : 1.5 * kept, result.Train[i], 1e-3);
            Assert.Equal(isDropped ? 0 : kept, result.Grad[i], 1e-3);
        }

        // 1000 draws with p = 0.3: 300 expected, standard deviation 14.5; the next forward pass draws a new mask.
        Assert.InRange(dropped, 230, 370);
        Assert.NotEqual(result.Train.Select(v => Math.Abs(v) < 1e-4), result.Second.Select(v => Math.Abs(v) < 1e-4));
        Assert.All(run.Results, r => Assert.Equal(result.Train, r.Train));
    }

    [Fact]
    public async Task TrainStepAsync_MlpWithDropout_TrainsAndRevealsAModelWithItsDropout()
    {
        var random = new SeededRandomSource(5);
        var module = new Sequential(new Linear(4, 16, random: random), new ReLU(), new Dropout(0.25), new Linear(16, 2, random: random));
        var values = Enumerable.Range(0, 64 * 4).Select(i => ((i * 37 % 23) / 11.0) - 1).ToArray();
        var features = Tensor.FromArray(values, 64, 4);
        var labels = Enumerable.Range(0, 64).Select(r => values[4 * r] + values[(4 * r) + 1] > 0 ? 1 : 0).ToArray();
        var oneHot = Tensor.FromArray(labels.SelectMany(l => l == 1 ? new[] { 0.0, 1.0 } : [1.0, 0.0]).ToArray(), 64, 2);
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var encrypted = (await EncryptedModel.EncryptAsync(session, 0, session.Rank == 0 ? module : null)).Train();
            var x = EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? features : null, 64, 4);
            var y = EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? oneHot : null, 64, 2);
            var sgd = new EncryptedSgd(encrypted.Parameters(), learningRate: 0.5);
            var losses = new List<double>();
            for (var step = 0; step < 12; step++)
            {
                var loss = await encrypted.TrainStepAsync(x, y, sgd);
                losses.Add((await loss.DecryptAsync()).ToArray<double>()[0]);
            }

            var revealed = await encrypted.RevealToAsync(0);
            return (losses, Revealed: revealed);
        });

        var (trainLosses, owned) = run.Results[0];
        Assert.True(trainLosses.Skip(8).Average() < trainLosses.Take(4).Average() - 0.05, string.Join(", ", trainLosses));
        Assert.NotNull(owned);
        Assert.Contains(Assert.IsType<Sequential>(owned).Layers, m => m is Dropout { P: 0.25 });
    }

    [Fact]
    public async Task TrainAndRevealToAsync_ModelWithBatchNorm_Refuse()
    {
        var module = new Sequential(new Linear(4, 3), new BatchNorm1d(3), new ReLU(), new Linear(3, 2));
        module.Eval();
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var encrypted = await EncryptedModel.EncryptAsync(session, 0, session.Rank == 0 ? module : null);
            var train = Assert.Throws<NotSupportedException>(() => encrypted.Train());
            var reveal = await Assert.ThrowsAsync<NotSupportedException>(async () => await encrypted.RevealToAsync(0));
            return (train.Message, reveal.Message);
        });

        Assert.All(run.Results, r =>
        {
            Assert.Contains("batch norm", r.Item1);
            Assert.Contains("batch norm", r.Item2);
        });
    }

    [Fact]
    public async Task ForwardAsync_EvalAfterTrain_RecordsNothing()
    {
        var module = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var encrypted = await EncryptedModel.EncryptAsync(session, 0, session.Rank == 0 ? module : null);
            var x = EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? Tensor.Ones([2, 4], DType.Float64) : null, 2, 4);
            var trained = (await encrypted.Train().ForwardAsync(x)).RequiresGrad;
            var evaluated = (await encrypted.Eval().ForwardAsync(x)).RequiresGrad;
            return (trained, evaluated);
        });

        Assert.All(run.Results, r => Assert.Equal((true, false), r));
    }

    private static (int A, int B) BatchRows(int step) => (step * Batch / 2, Half + (step * Batch / 2));

    /// <summary>Rows [step B/2, (step + 1) B/2) of Alice's part followed by the same rows of Bob's (local, share slices).</summary>
    private static EncryptedTensor BatchOf(EncryptedTensor alice, EncryptedTensor bob, int step)
    {
        var row = alice.Count / alice.Shape[0];
        var take = row * (Batch / 2);
        var share = new ulong[2 * take];
        alice.Shares.Share.AsSpan(step * take, take).CopyTo(share);
        bob.Shares.Share.AsSpan(step * take, take).CopyTo(share.AsSpan(take));
        var shape = alice.Shape.ToArray();
        shape[0] = Batch;
        return EncryptedTensor.FromShares(new SharedTensor(alice.Session, share, shape, alice.FractionalBits));
    }

    /// <summary>Rows start .. start + count of an encrypted matrix (each party slices its own share; local).</summary>
    internal static EncryptedTensor RowsOf(EncryptedTensor x, int start, int count)
    {
        var width = x.Shape[1];
        var share = x.Shares.Share.AsSpan(start * width, count * width).ToArray();
        return EncryptedTensor.FromShares(new SharedTensor(x.Session, share, [count, width], x.FractionalBits));
    }

    private static Tensor OneHot(long[] labels)
    {
        var values = new double[labels.Length * 10];
        for (var i = 0; i < labels.Length; i++)
        {
            values[(i * 10) + labels[i]] = 1;
        }

        return Tensor.FromArray(values, labels.Length, 10);
    }

    private static Tensor Forward(IReadOnlyDictionary<string, Tensor> p, Tensor x) =>
        x.Conv2d(p["0.weight"], p["0.bias"]).Relu().MaxPool2d(2).Flatten(1).MatMul(p["4.weight"].T).Add(p["4.bias"]);

    private static Tensor CoreLoss(IReadOnlyDictionary<string, Tensor> p, Tensor x, Tensor oneHot) =>
        Forward(p, x).LogSoftmax(-1).Mul(oneHot).Sum().Mul(Tensor.Full([], -1.0 / x.Size(0), DType.Float64));
}
