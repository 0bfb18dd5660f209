using System.CommandLine;
using System.Globalization;
using Tessera.Data;
using Tessera.NN;
using Tessera.Optim;
using Tessera.Privacy.Training;
using Tessera.Serialization;
using Tessera.Training;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera train --data mnist --model mlp|lenet|dpcnn --epochs N [--dp --epsilon E --delta D]</c>: trains and reports
/// per-epoch loss, accuracy and time (and with --dp the privacy spent).
/// </summary>
internal static class TrainCommand
{
    private const double MnistMean = 0.1307;
    private const double MnistStd = 0.3081;

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The data set: mnist.", DefaultValueFactory = _ => "mnist" };
        data.AcceptOnlyFromAmong("mnist");
        var model = new Option<string?>("--model")
        {
            Description = "The model: mlp (784-256-128-10), lenet (LeNet-5; the default) or dpcnn (Opacus' SampleConvNet; the default with --dp).",
        };
        model.AcceptOnlyFromAmong("mlp", "lenet", "dpcnn");
        var epochs = new Option<int>("--epochs") { Description = "Training epochs (1 to 1000).", DefaultValueFactory = _ => 3 };
        epochs.Validators.Add(r => Range(r, epochs, 1, 1000));
        var batchSize = new Option<int?>("--batch-size")
        {
            Description = "Samples per step (1 to 65536; default 64, with --dp the expected Poisson batch, default 512).",
        };
        batchSize.Validators.Add(r => Range(r, batchSize, 1, 65536));
        var lr = new Option<double?>("--lr")
        {
            Description = "Peak learning rate, annealed to zero along a cosine over all steps (default 3e-3; with --dp " + DpTraining.DefaultLearningRateText + ").",
        };
        lr.Validators.Add(r =>
        {
            if (!TryGet(r, lr, out var v))
            {
                return;
            }

            if (v is { } value && !(value > 0 && value < 10))
            {
                r.AddError($"--lr must be in (0, 10), got {value.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
        var optimizer = new Option<string?>("--optimizer") { Description = "adam or sgd (momentum 0.9); default adam, with --dp " + DpTraining.DefaultOptimizer + "." };
        optimizer.AcceptOnlyFromAmong("adam", "sgd");
        var seed = new Option<ulong?>("--seed") { Description = "Seed for initialisation and shuffling (default: random)." };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Where the data set is cached." };
        var save = new Option<FileInfo?>("--save") { Description = "Write the trained weights to this .safetensors file." };
        var dp = DpTraining.CreateOptions();
        var command = new Command("train", "Train a model on a data set and report test accuracy (with --dp: by DP-SGD within a privacy budget).")
        {
            data, model, epochs, batchSize, lr, optimizer, seed, cacheDir, save,
        };
        dp.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var dpSettings = dp.Read(parse);
            var isDp = dpSettings is not null;
            var settings = new TrainSettings(
                parse.GetValue(model) ?? (isDp ? "dpcnn" : "lenet"), parse.GetValue(epochs),
                parse.GetValue(batchSize) ?? (isDp ? DpTraining.DefaultBatchSize : 64),
                parse.GetValue(lr) ?? (isDp ? DpTraining.DefaultLearningRate : 3e-3),
                parse.GetValue(optimizer) ?? (isDp ? DpTraining.DefaultOptimizer : "adam"),
                parse.GetValue(seed), parse.GetValue(cacheDir) ?? CliPaths.DataDirectory("mnist"), parse.GetValue(save), dpSettings);
            return CliErrors.RunAsync(() => RunAsync(settings, cancellationToken));
        });
        return command;
    }

    /// <summary>Fetches MNIST if needed, trains, prints one line per epoch and finally <c>test accuracy: 0.xxxx</c>.</summary>
    public static async Task<int> RunAsync(TrainSettings settings, CancellationToken cancellationToken)
    {
        await ConsoleOutput.FetchMnistAsync(settings.CacheDirectory, cancellationToken).ConfigureAwait(false);
        var train = Normalize(Mnist.Load(settings.CacheDirectory, MnistSplit.Train));
        var test = Normalize(Mnist.Load(settings.CacheDirectory, MnistSplit.Test));
        var seed = settings.Seed ?? CryptoRandomSource.Instance.NextUInt64();
        var random = new SeededRandomSource(seed);
        var net = settings.Model switch
        {
            "mlp" => Models.Mlp([784, 256, 128, 10], random),
            "dpcnn" => DpModels.SampleConvNet(random: random),
            _ => Models.LeNet5(random: random),
        };
        if (settings.Dp is not null)
        {
            return DpTraining.Run(settings, net, train, test, seed, cancellationToken);
        }

        Optimizer opt = settings.Optimizer == "sgd"
            ? new Sgd(net.Parameters(), settings.LearningRate, momentum: 0.9)
            : new Adam(net.Parameters(), settings.LearningRate);
        var loss = new CrossEntropyLoss();
        var trainLoader = new DataLoader(train, settings.BatchSize, shuffle: true, random: random);
        var testLoader = new DataLoader(test, 1000);
        var schedule = new CosineAnnealingLR(opt, settings.Epochs * trainLoader.BatchCount, minLearningRate: settings.LearningRate * 1e-3);
        Console.WriteLine($"training {settings.Model} ({net.ParameterCount():N0} parameters) on MNIST: {train.Count:N0} train, "
            + $"{test.Count:N0} test, batch {settings.BatchSize}, {settings.Optimizer} lr {settings.LearningRate.ToString(CultureInfo.InvariantCulture)} (cosine), seed {seed}");
        var accuracy = 0.0;
        for (var epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            var result = ConsoleOutput.WithProgress($"epoch {epoch}/{settings.Epochs}", trainLoader.BatchCount,
                progress => Trainer.TrainEpoch(net, trainLoader, loss, opt, progress, schedule, cancellationToken));
            accuracy = Trainer.Accuracy(net, testLoader, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch}/{settings.Epochs}: loss {result.MeanLoss:F4}, test accuracy {accuracy:F4}, {result.Elapsed.TotalSeconds:F1} s"));
        }

        SaveIfAsked(settings, net);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {accuracy:F4}"));
        return 0;
    }

    /// <summary>Saves the weights when asked, with the model's spec.</summary>
    internal static void SaveIfAsked(TrainSettings settings, Module net)
    {
        if (settings.Save is not null)
        {
            SafeTensors.Save(settings.Save.FullName, net.StateDict(), new Dictionary<string, string> { ["tessera.spec"] = net.ToSpec().ToJson() });
            Console.WriteLine($"saved weights to {settings.Save.FullName}");
        }
    }

    /// <summary>Standardises pixels with MNIST's training mean and standard deviation, as PyTorch's MNIST examples do.</summary>
    private static TensorDataset Normalize(TensorDataset data) =>
        new(data.Inputs.Sub(MnistMean).Div(MnistStd), data.Targets);

    /// <summary>The option's value, or false when it did not convert (the parser reports that error itself).</summary>
    internal static bool TryGet<T>(System.CommandLine.Parsing.OptionResult result, Option<T> option, out T value)
    {
        try
        {
            value = result.GetValue(option)!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    private static void Range(System.CommandLine.Parsing.OptionResult result, Option<int> option, int min, int max)
    {
        if (TryGet(result, option, out var v) && (v < min || v > max))
        {
            result.AddError($"{option.Name} must be between {min} and {max}, got {v}.");
        }
    }

    private static void Range(System.CommandLine.Parsing.OptionResult result, Option<int?> option, int min, int max)
    {
        if (TryGet(result, option, out var v) && v is { } value && (value < min || value > max))
        {
            result.AddError($"{option.Name} must be between {min} and {max}, got {v}.");
        }
    }
}

/// <summary>What <c>tessera train</c> was asked to do; <paramref name="Dp"/> is set for DP-SGD.</summary>
internal sealed record TrainSettings(string Model, int Epochs, int BatchSize, double LearningRate, string Optimizer, ulong? Seed,
    string CacheDirectory, FileInfo? Save, DpSettings? Dp = null);
