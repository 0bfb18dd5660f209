using Tessera.Mpc.Nn;
using Tessera.NN;

namespace Tessera.Mpc.Tests.Nn;

/// <summary>
/// Each encrypted layer against Tessera.Core's plaintext forward, the model encrypted from party 0 and the input from the
/// last party, with 2 and 3 parties. Tolerance: 1e-3 absolute at 16 fractional bits for inputs in [-2, 2] and Core's
/// default initialisation (the errors are the encodings of weights and inputs, 2^-17 each, and one truncation per
/// product, below 2^-15); pooling, ReLU and flatten are exact on the ring values.
/// </summary>
public sealed class EncryptedLayerTests
{
    private const double Tolerance = 1e-3;

    public static TheoryData<string, int> Layers()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in new[] { "linear", "linear-nobias-bn1d", "conv", "conv-pad-stride", "conv-bn-relu", "bn2d-alone", "maxpool", "maxpool-3-stride-2-pad-1", "avgpool", "flatten-dropout", "lenet" })
        {
            data.Add(name, 2);
            data.Add(name, 3);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public async Task ForwardAsync_Layer_MatchesPlaintext(string layer, int parties)
    {
        var random = new SeededRandomSource(7);
        var (model, inputShape) = Build(layer, random);
        model.Eval();
        var input = Tensor.FromArray(
            Enumerable.Range(0, inputShape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray(),
            inputShape);
        var expected = model.Forward(input).To(DType.Float64).ToArray<double>();
        var client = parties - 1;

        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var encrypted = await EncryptedModel.EncryptAsync(session, 0, session.Rank == 0 ? model : null);
            var x = EncryptedTensor.Encrypt(session, client, session.Rank == client ? input : null, inputShape);
            var y = await encrypted.ForwardAsync(x);
            var revealed = await y.DecryptToAsync(client);
            return (Shape: y.Shape.ToArray(), Value: revealed?.ToArray<double>());
        });

        Assert.Equal(model.Forward(input).ShapeToArray(), run.Results[client].Shape);
        var actual = run.Results[client].Value!;
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"{layer}[{i}]: expected {expected[i]}, got {actual[i]}");
        }

        Assert.All(run.Results.Where((_, rank) => rank != client), r => Assert.Null(r.Value));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ForwardAsync_ReluThenMaxPool_PoolsFirstInInference_SameValuesFewerBytes(int parties)
    {
        var model = new Sequential(new ReLU(), new MaxPool2d(2), new ReLU(), new MaxPool2d((3, 3), (2, 2), (1, 1)));
        int[] shape = [2, 3, 8, 8];
        var random = new SeededRandomSource(11);
        var input = Tensor.FromArray(Enumerable.Range(0, 2 * 3 * 8 * 8).Select(_ => (random.NextDouble() * 4) - 2).ToArray(), shape);
        var expected = model.Forward(input.To(DType.Float32)).To(DType.Float64).ToArray<double>();

        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var encrypted = await EncryptedModel.EncryptAsync(session, 0, session.Rank == 0 ? model : null);
            var x = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? input : null, shape);
            var stats = session.Communicator.Statistics;
            var before = stats.BytesSent;
            var inference = await encrypted.ForwardAsync(x);
            var pooledFirst = stats.BytesSent - before;

            // With a gradient recorded the layers run in their written order (the backward pass follows it).
            before = stats.BytesSent;
            var recorded = await encrypted.ForwardAsync(EncryptedTensor.FromShares(x.Shares).WithGrad());
            var inOrder = stats.BytesSent - before;
            return (Inference: (await inference.DecryptAsync()).ToArray<double>(), Recorded: (await recorded.DecryptAsync()).ToArray<double>(), pooledFirst, inOrder);
        });

        foreach (var result in run.Results)
        {
            // ReLU and max pooling are exact on the ring: both orders give the quantised plaintext exactly.
            Assert.Equal(result.Recorded, result.Inference);
            Assert.Equal(expected.Length, result.Inference.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(MpcHarness.Quantize(expected[i]), result.Inference[i], 1e-6);
            }

            Assert.True(result.pooledFirst < result.inOrder * 0.8, $"pooled first {result.pooledFirst} bytes, in order {result.inOrder}");
        }
    }

    [Fact]
    public async Task EncryptAsync_Parameters_AreSharesOfTheOwnersWeights()
    {
        var model = new Sequential(new Linear(3, 2, random: new SeededRandomSource(1)));
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var encrypted = await EncryptedModel.EncryptAsync(session, 0, session.Rank == 0 ? model : null);
            var names = encrypted.NamedParameters().Select(p => p.Name).ToArray();
            var weight = await encrypted.Parameters().First().DecryptAsync();
            return (names, weight.ToArray<double>(), encrypted.Spec.ToJson());
        });

        foreach (var (names, weight, spec) in run.Results)
        {
            Assert.Equal(["0.weight", "0.bias"], names);
            Assert.Equal(model.ToSpec().ToJson(), spec);
            var plain = model.Layers[0].Parameters().First().To(DType.Float64).ToArray<double>();
            Assert.Equal(plain.Select(v => MpcHarness.Quantize(v)), weight);
        }
    }

    private static (Module Model, int[] Shape) Build(string layer, IRandomSource random) => layer switch
    {
        "linear" => (new Sequential(new Linear(5, 4, random: random)), [3, 5]),
        "linear-nobias-bn1d" => (WithStatistics(new Sequential(new Linear(5, 4, bias: false, random: random), new BatchNorm1d(4)), random), [3, 5]),
        "conv" => (new Sequential(new Conv2d(2, 3, 3, random: random)), [2, 2, 6, 5]),
        "conv-pad-stride" => (new Sequential(new Conv2d(1, 2, 3, stride: 2, padding: 1, random: random)), [2, 1, 7, 7]),
        "conv-bn-relu" => (WithStatistics(new Sequential(new Conv2d(2, 3, 3, random: random), new BatchNorm2d(3), new ReLU()), random), [2, 2, 5, 5]),
        "bn2d-alone" => (WithStatistics(new Sequential(new BatchNorm2d(3), new ReLU()), random), [2, 3, 4, 4]),
        "maxpool" => (new Sequential(new MaxPool2d(2)), [2, 3, 6, 6]),
        "maxpool-3-stride-2-pad-1" => (new Sequential(new MaxPool2d((3, 3), (2, 2), (1, 1))), [1, 2, 7, 6]),
        "avgpool" => (new Sequential(new AvgPool2d((2, 3), (1, 2))), [2, 2, 5, 7]),
        "flatten-dropout" => (new Sequential(new Flatten(), new Dropout(0.5, random), new Linear(12, 2, random: random)), [2, 3, 2, 2]),
        _ => (Models.LeNet5(random: random), [2, 1, 28, 28]),
    };

    /// <summary>Gives batch norms non-trivial running statistics and affine parameters.</summary>
    private static Module WithStatistics(Module model, IRandomSource random)
    {
        foreach (var norm in ((Sequential)model).Layers.OfType<BatchNorm>())
        {
            var c = norm.NumFeatures;
            norm.RunningMean.CopyFrom(Tensor.FromArray(Enumerable.Range(0, c).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(), c));
            norm.RunningVar.CopyFrom(Tensor.FromArray(Enumerable.Range(0, c).Select(_ => (float)(0.5 + random.NextDouble())).ToArray(), c));
            norm.Weight!.CopyFrom(Tensor.FromArray(Enumerable.Range(0, c).Select(_ => (float)(0.5 + random.NextDouble())).ToArray(), c));
            norm.Bias!.CopyFrom(Tensor.FromArray(Enumerable.Range(0, c).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(), c));
        }

        return model;
    }
}
