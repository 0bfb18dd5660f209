using Tessera.NN;
using Tessera.Optim;
using Tessera.Training;

namespace Tessera.Benchmarks;

/// <summary>
/// One MNIST training epoch of <see cref="Models.Mlp"/> (784-256-128-10) or <see cref="Models.LeNet5"/> with Adam
/// (lr 1e-3), batch 64 and cross-entropy through <see cref="Trainer.TrainEpoch"/>, then test accuracy: the same
/// recipe as bench.py's train_epoch.
/// </summary>
internal static class TrainingSection
{
    private const int BatchSize = 64;
    private const int Seed = 1234;

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
        var random = new SeededRandomSource(Seed);
        Module model = section == BenchSection.Mlp ? Models.Mlp([MnistData.Pixels, 256, 128, 10], random) : Models.LeNet5(random: random);
        if (section == BenchSection.LeNet && ConvSection.Unavailable() is { } why)
        {
            return MissingPair(section, samples, why);
        }

        var optimizer = new Adam(model.Parameters(), learningRate: 1e-3);
        var epoch = Trainer.TrainEpoch(model, TrainBatches(data, samples), new CrossEntropyLoss(), optimizer);
        var accuracy = Trainer.Accuracy(model, TestBatches(data));
        log.WriteLine($"tessera {RunnerOptions.NameOf(section)}: epoch {epoch.Elapsed.TotalSeconds:F2} s ({samples} samples), "
            + $"mean loss {epoch.MeanLoss:F4}, test accuracy {accuracy:F4}");
        return
        [
            new Measurement(EpochKey(section), EpochLabel(section, samples), "s", epoch.Elapsed.TotalSeconds, "one epoch"),
            new Measurement(AccuracyKey(section), AccuracyLabel(section), Measurement.AccuracyUnit, accuracy),
        ];
    }

    private static Measurement[] MissingPair(BenchSection section, int samples, string why) =>
    [
        Measurement.Missing(EpochKey(section), EpochLabel(section, samples), "s", why),
        Measurement.Missing(AccuracyKey(section), AccuracyLabel(section), Measurement.AccuracyUnit, why),
    ];

    /// <summary>Shuffled batches, assembled lazily inside the timed loop as PyTorch's indexing is.</summary>
    private static IEnumerable<(Tensor Inputs, Tensor Targets)> TrainBatches(MnistData data, int samples)
    {
        var order = Enumerable.Range(0, samples).ToArray();
        new System.Random(Seed).Shuffle(order);
        for (var first = 0; first < samples; first += BatchSize)
        {
            yield return Batch(data.TrainImages, data.TrainLabels, order.AsMemory(first, Math.Min(BatchSize, samples - first)).Span);
        }
    }

    private static IEnumerable<(Tensor Inputs, Tensor Targets)> TestBatches(MnistData data)
    {
        for (var first = 0; first < data.TestCount; first += 1000)
        {
            var count = Math.Min(1000, data.TestCount - first);
            var images = data.TestImages.AsSpan(first * MnistData.Pixels, count * MnistData.Pixels).ToArray();
            var labels = data.TestLabels.AsSpan(first, count).ToArray();
            yield return (Tensor.FromArray(images, count, 1, 28, 28), Tensor.FromArray(labels, count));
        }
    }

    private static (Tensor Inputs, Tensor Targets) Batch(float[] images, long[] labels, ReadOnlySpan<int> indices)
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
