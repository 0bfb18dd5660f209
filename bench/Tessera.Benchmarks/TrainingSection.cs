using System.Diagnostics;

namespace Tessera.Benchmarks;

/// <summary>One MNIST training epoch (Adam 1e-3, batch 64, cross-entropy) of the MLP or LeNet-5, then test accuracy.</summary>
/// <remarks>
/// The models, the loss and the optimizer are each one method below so the lead can swap them for Tessera.Core's
/// nn modules (<c>Sequential</c>, <c>Linear</c>, <c>Conv2d</c>, <c>CrossEntropyLoss</c>, <c>Adam</c>) without
/// touching the loop. Until then they are built from tensor ops and autograd, which measures the engine that the
/// modules will sit on.
/// </remarks>
internal static class TrainingSection
{
    private const int BatchSize = 64;

    public static string EpochKey(BenchSection s) => $"{RunnerOptions.NameOf(s)}.epoch_s";

    public static string AccuracyKey(BenchSection s) => $"{RunnerOptions.NameOf(s)}.test_accuracy";

    public static string EpochLabel(BenchSection s, int samples)
        => $"{(s == BenchSection.Mlp ? "MLP 784-256-128-10" : "LeNet-5")} epoch ({samples} samples)";

    public static string AccuracyLabel(BenchSection s) => $"{(s == BenchSection.Mlp ? "MLP" : "LeNet-5")} test accuracy";

    public static IReadOnlyList<Measurement> Run(BenchSection section, MnistData? data, string? dataError, int trainSamples, TextWriter log)
    {
        if (data is null)
        {
            return MissingPair(section, trainSamples > 0 ? trainSamples : 60000, dataError ?? "not available: no MNIST data (--mnist DIR)");
        }

        var samples = trainSamples > 0 ? Math.Min(trainSamples, data.TrainCount) : data.TrainCount;
        var model = Build(section, new SeededRandomSource(1234));
        if (model is null)
        {
            return MissingPair(section, samples, Missing(section));
        }

        var optimizer = new SpanAdam(model.Parameters, learningRate: 1e-3);
        var (seconds, lastLoss) = TrainEpoch(model, optimizer, data, samples, seed: 1234);
        var accuracy = TestAccuracy(model, data);
        log.WriteLine($"tessera {RunnerOptions.NameOf(section)}: epoch {seconds:F2} s ({samples} samples), "
            + $"last loss {lastLoss:F4}, test accuracy {accuracy:F4}");
        return
        [
            new Measurement(EpochKey(section), EpochLabel(section, samples), "s", seconds, "one run"),
            new Measurement(AccuracyKey(section), AccuracyLabel(section), Measurement.AccuracyUnit, accuracy),
        ];
    }

    private static Measurement[] MissingPair(BenchSection section, int samples, string why) =>
    [
        Measurement.Missing(EpochKey(section), EpochLabel(section, samples), "s", why),
        Measurement.Missing(AccuracyKey(section), AccuracyLabel(section), Measurement.AccuracyUnit, why),
    ];

    private static string Missing(BenchSection section)
        => section == BenchSection.LeNet && !PendingOps.HasConv2d ? PendingOps.Conv2dMissing : PendingOps.MaxPool2dMissing;

    private static TensorModel? Build(BenchSection section, IRandomSource random)
        => section switch
        {
            BenchSection.Mlp => BuildMlp(random),
            BenchSection.LeNet when PendingOps.HasConv2d && PendingOps.HasMaxPool2d => BuildLeNet(random),
            _ => null,
        };

    // ---- The parts the lead replaces with Tessera.Core's nn once it lands -------------------------------------------

    /// <summary>Flatten - Linear(784, 256) - ReLU - Linear(256, 128) - ReLU - Linear(128, 10).</summary>
    private static TensorModel BuildMlp(IRandomSource random)
    {
        var (w1, b1) = LinearParameters(random, 784, 256);
        var (w2, b2) = LinearParameters(random, 256, 128);
        var (w3, b3) = LinearParameters(random, 128, 10);
        return new TensorModel([w1, b1, w2, b2, w3, b3], x =>
        {
            var h = x.Reshape(x.Shape[0], MnistData.Pixels);
            h = Linear(h, w1, b1).Relu();
            h = Linear(h, w2, b2).Relu();
            return Linear(h, w3, b3);
        });
    }

    /// <summary>
    /// Conv(1, 6, 5, pad 2) - ReLU - MaxPool2 - Conv(6, 16, 5) - ReLU - MaxPool2 - Flatten - Linear(400, 120) - ReLU -
    /// Linear(120, 84) - ReLU - Linear(84, 10).
    /// </summary>
    private static TensorModel BuildLeNet(IRandomSource random)
    {
        var (c1, cb1) = ConvParameters(random, 1, 6, 5);
        var (c2, cb2) = ConvParameters(random, 6, 16, 5);
        var (w1, b1) = LinearParameters(random, 400, 120);
        var (w2, b2) = LinearParameters(random, 120, 84);
        var (w3, b3) = LinearParameters(random, 84, 10);
        return new TensorModel([c1, cb1, c2, cb2, w1, b1, w2, b2, w3, b3], x =>
        {
            var h = PendingOps.MaxPool2d(PendingOps.Conv2d(x, c1, cb1, 1, 2).Relu(), 2);
            h = PendingOps.MaxPool2d(PendingOps.Conv2d(h, c2, cb2, 1, 0).Relu(), 2);
            h = h.Flatten(1);
            h = Linear(h, w1, b1).Relu();
            h = Linear(h, w2, b2).Relu();
            return Linear(h, w3, b3);
        });
    }

    /// <summary>Mean cross-entropy of logits [B, C] against class indices [B]: logsumexp(z) - z[label].</summary>
    private static Tensor CrossEntropy(Tensor logits, Tensor labels)
        => (logits.LogSumExp(1) - logits.Gather(1, labels.Unsqueeze(1)).Squeeze(1)).Mean();

    private static Tensor Linear(Tensor x, Tensor weight, Tensor bias) => x.MatMul(weight) + bias;

    /// <summary>PyTorch's default init: weight and bias uniform in +-1/sqrt(fan_in); weight stored [in, out].</summary>
    private static (Tensor Weight, Tensor Bias) LinearParameters(IRandomSource random, int inputs, int outputs)
    {
        var bound = 1 / Math.Sqrt(inputs);
        return (Tensor.Uniform([inputs, outputs], random, -bound, bound).WithGrad(),
            Tensor.Uniform([outputs], random, -bound, bound).WithGrad());
    }

    private static (Tensor Weight, Tensor Bias) ConvParameters(IRandomSource random, int inChannels, int outChannels, int kernel)
    {
        var bound = 1 / Math.Sqrt(inChannels * kernel * kernel);
        return (Tensor.Uniform([outChannels, inChannels, kernel, kernel], random, -bound, bound).WithGrad(),
            Tensor.Uniform([outChannels], random, -bound, bound).WithGrad());
    }

    // ---- The loop ---------------------------------------------------------------------------------------------------

    private static (double Seconds, double LastLoss) TrainEpoch(TensorModel model, SpanAdam optimizer, MnistData data, int samples, int seed)
    {
        var order = Enumerable.Range(0, samples).ToArray();
        new System.Random(seed).Shuffle(order);
        var lastLoss = double.NaN;
        var stopwatch = Stopwatch.StartNew();
        for (var first = 0; first < samples; first += BatchSize)
        {
            var count = Math.Min(BatchSize, samples - first);
            var (x, y) = Batch(data.TrainImages, data.TrainLabels, order.AsSpan(first, count));
            optimizer.ZeroGrad();
            var loss = CrossEntropy(model.Forward(x), y);
            loss.Backward();
            optimizer.Step();
            lastLoss = loss.ToArray<float>()[0];
        }

        return (stopwatch.Elapsed.TotalSeconds, lastLoss);
    }

    private static double TestAccuracy(TensorModel model, MnistData data)
    {
        using var _ = Autograd.NoGrad();
        var correct = 0;
        for (var first = 0; first < data.TestCount; first += 1000)
        {
            var count = Math.Min(1000, data.TestCount - first);
            var x = Tensor.FromArray(data.TestImages.AsSpan(first * MnistData.Pixels, count * MnistData.Pixels).ToArray(), count, 1, 28, 28);
            var predicted = model.Forward(x).ArgMax(1).ToArray<long>();
            for (var i = 0; i < count; i++)
            {
                correct += predicted[i] == data.TestLabels[first + i] ? 1 : 0;
            }
        }

        return (double)correct / data.TestCount;
    }

    private static (Tensor Images, Tensor Labels) Batch(float[] images, long[] labels, ReadOnlySpan<int> indices)
    {
        var x = new float[indices.Length * MnistData.Pixels];
        var y = new long[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            images.AsSpan(indices[i] * MnistData.Pixels, MnistData.Pixels).CopyTo(x.AsSpan(i * MnistData.Pixels));
            y[i] = labels[indices[i]];
        }

        return (Tensor.FromArray(x, indices.Length, 1, 28, 28), Tensor.FromArray(y, indices.Length));
    }
}
