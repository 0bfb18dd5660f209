using System.Diagnostics;
using System.Globalization;
using Tessera.Data;
using Tessera.NN;
using Tessera.Optim;
using Tessera.Privacy.Training;
using Tessera.Training;

namespace Tessera.Benchmarks;

/// <summary>
/// <c>dpsgd [--mnist DIR] [--rounds N] [--samples N] [--batch B]</c>: one MNIST epoch of Opacus' SampleConvNet trained
/// without privacy (shuffled batches of B, mean loss, SGD) against one DP-SGD epoch of the same model (Poisson batches of
/// expected size B, per-sample gradients, clipping at 1, noise multiplier 1, SGD), alternating for N rounds; prints the
/// best time of each and their ratio.
/// </summary>
internal static class DpSgdBench
{
    public static int Run(string[] args)
    {
        var dir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "tessera", "data", "mnist");
        int rounds = 2, samples = 0, batch = 512;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--mnist": dir = args[i + 1]; break;
                case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--samples": samples = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--batch": batch = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        var train = Mnist.Load(dir, MnistSplit.Train);
        if (samples > 0 && samples < train.Count)
        {
            train = new TensorDataset(train.Inputs.Narrow(0, 0, samples).Contiguous(), train.Targets.Narrow(0, 0, samples).Contiguous());
        }

        var rate = (double)batch / train.Count;
        var warm = new TensorDataset(train.Inputs.Narrow(0, 0, 2 * batch).Contiguous(), train.Targets.Narrow(0, 0, 2 * batch).Contiguous());
        NonPrivateEpoch(warm, batch);
        DpEpoch(warm, rate * train.Count / warm.Count);

        var plain = double.MaxValue;
        var dp = double.MaxValue;
        for (var r = 0; r < rounds; r++)
        {
            var p = NonPrivateEpoch(train, batch);
            var d = DpEpoch(train, rate);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {r + 1}: non-private {p:F2} s, DP-SGD {d:F2} s, ratio {d / p:F2}"));
            plain = Math.Min(plain, p);
            dp = Math.Min(dp, d);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SampleConvNet, {train.Count} samples, batch {batch} (expected, for DP-SGD): non-private epoch {plain:F2} s, "
            + $"DP-SGD epoch {dp:F2} s, ratio {dp / plain:F2} (best of {rounds})"));
        return 0;
    }

    private static double NonPrivateEpoch(TensorDataset data, int batch)
    {
        var random = new SeededRandomSource(1);
        var model = DpModels.SampleConvNet(random: random);
        var loader = new DataLoader(data, batch, shuffle: true, random: random);
        var watch = Stopwatch.StartNew();
        Trainer.TrainEpoch(model, loader, new CrossEntropyLoss(), new Sgd(model.Parameters(), 0.1));
        return watch.Elapsed.TotalSeconds;
    }

    private static double DpEpoch(TensorDataset data, double rate)
    {
        var random = new SeededRandomSource(1);
        var model = DpModels.SampleConvNet(random: random);
        var module = new GradSampleModule(model);
        var loader = new PoissonDataLoader(data, Math.Min(1, rate));
        var dp = new DpSgd(module, new Sgd(module.Parameters, 0.1), noiseMultiplier: 1, maxGradNorm: 1, loader.ExpectedBatchSize);
        var watch = Stopwatch.StartNew();
        DpSgdTrainer.TrainEpoch(module, loader, new CrossEntropyLoss(Reduction.Sum), dp);
        return watch.Elapsed.TotalSeconds;
    }
}
