using System.CommandLine;
using System.Globalization;
using Tessera.Data;
using Tessera.NN;
using Tessera.Optim;
using Tessera.Privacy.Accounting;
using Tessera.Privacy.Training;
using Tessera.Training;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera train --dp --epsilon E --delta D</c>: DP-SGD with Poisson sampling, per-sample clipping and Gaussian noise
/// whose multiplier is chosen by the RDP accountant so that the whole run spends at most (E, D).
/// </summary>
internal static class DpTraining
{
    public const int DefaultBatchSize = 512;
    public const double DefaultLearningRate = 0.1;
    public const string DefaultLearningRateText = "0.1";
    public const string DefaultOptimizer = "sgd";

    public static DpOptions CreateOptions() => new();

    /// <summary>Trains <paramref name="net"/> by DP-SGD, printing the epsilon spent after every epoch and at the end.</summary>
    public static int Run(TrainSettings settings, Module net, TensorDataset train, TensorDataset test, ulong seed, CancellationToken cancellationToken)
    {
        var dp = settings.Dp!;
        var module = new GradSampleModule(net);
        // Sampling and noise always come from the OS CSPRNG; --seed fixes only the initialisation.
        var loader = new PoissonDataLoader(train, Math.Min(1.0, (double)settings.BatchSize / train.Count));
        var totalSteps = settings.Epochs * loader.StepsPerEpoch;
        var sigma = dp.NoiseMultiplier ?? RdpAccountant.NoiseMultiplierFor(dp.Epsilon, dp.Delta, loader.SampleRate, totalSteps);
        Optimizer opt = settings.Optimizer == "sgd"
            ? new Sgd(module.Parameters, settings.LearningRate, momentum: 0.9)
            : new Adam(module.Parameters, settings.LearningRate);
        var dpSgd = new DpSgd(module, opt, sigma, dp.MaxGradNorm, loader.ExpectedBatchSize);
        var schedule = new CosineAnnealingLR(opt, totalSteps, minLearningRate: settings.LearningRate * 1e-3);
        var accountant = new RdpAccountant();
        var loss = new CrossEntropyLoss(Reduction.Sum);
        var testLoader = new DataLoader(test, 1000);
        var delta = dp.Delta.ToString("0.###e-00", CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"DP-SGD training {settings.Model} ({net.ParameterCount():N0} parameters) on MNIST: {train.Count:N0} train, {test.Count:N0} test, "
            + $"Poisson sampling q = {loader.SampleRate:G4} (expected batch {loader.ExpectedBatchSize:F0}), {loader.StepsPerEpoch} steps per epoch, "
            + $"clip {dp.MaxGradNorm}, noise multiplier {sigma:F4}, {settings.Optimizer} lr {settings.LearningRate} (cosine), "
            + $"budget epsilon {dp.Epsilon} at delta = {delta}, seed {seed}"));
        var accuracy = 0.0;
        var epsilon = 0.0;
        for (var epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            var result = ConsoleOutput.WithProgress($"epoch {epoch}/{settings.Epochs}", loader.StepsPerEpoch,
                progress => DpSgdTrainer.TrainEpoch(module, loader, loss, dpSgd, () =>
                {
                    accountant.Step(sigma, loader.SampleRate);
                    schedule.Step();
                }, progress, cancellationToken));
            accuracy = Trainer.Accuracy(net, testLoader, cancellationToken);
            epsilon = accountant.GetEpsilon(dp.Delta);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch}/{settings.Epochs}: loss {result.MeanLoss:F4}, test accuracy {accuracy:F4}, epsilon {epsilon:F2}, "
                + $"{result.Elapsed.TotalSeconds:F1} s"));
        }

        TrainCommand.SaveIfAsked(settings, net);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epsilon spent: {epsilon:F2} (delta = {delta})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {accuracy:F4}"));
        return 0;
    }
}

/// <summary>The DP options of <c>tessera train</c>.</summary>
internal sealed class DpOptions
{
    private readonly Option<bool> _dp = new("--dp") { Description = "Train with DP-SGD (per-sample clipping, Gaussian noise, Poisson sampling) within --epsilon and --delta." };
    private readonly Option<double?> _epsilon = new("--epsilon") { Description = "With --dp: the privacy budget epsilon for the whole run (default 3)." };
    private readonly Option<double?> _delta = new("--delta") { Description = "With --dp: delta (default 1e-5; below 1 / the number of examples)." };
    private readonly Option<double?> _maxGradNorm = new("--max-grad-norm") { Description = "With --dp: the per-sample clipping norm C (default 1)." };
    private readonly Option<double?> _noiseMultiplier = new("--noise-multiplier")
    {
        Description = "With --dp: use this noise multiplier instead of the one the budget allows; the epsilon spent is still reported.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_dp);
        command.Options.Add(_epsilon);
        command.Options.Add(_delta);
        command.Options.Add(_maxGradNorm);
        command.Options.Add(_noiseMultiplier);
        command.Validators.Add(r =>
        {
            var dp = r.GetValue(_dp);
            var eps = r.GetValue(_epsilon);
            var delta = r.GetValue(_delta);
            var clip = r.GetValue(_maxGradNorm);
            var sigma = r.GetValue(_noiseMultiplier);
            if (!dp && (eps is not null || delta is not null || clip is not null || sigma is not null))
            {
                r.AddError("--epsilon, --delta, --max-grad-norm and --noise-multiplier need --dp.");
            }

            if (eps is { } e && !(e > 0 && e <= 100))
            {
                r.AddError($"--epsilon must be in (0, 100], got {e.ToString(CultureInfo.InvariantCulture)}.");
            }

            if (delta is { } d && !(d > 0 && d < 0.1))
            {
                r.AddError($"--delta must be in (0, 0.1), got {d.ToString(CultureInfo.InvariantCulture)}.");
            }

            if (clip is { } c && !(c > 0 && c < 1e6))
            {
                r.AddError($"--max-grad-norm must be positive, got {c.ToString(CultureInfo.InvariantCulture)}.");
            }

            if (sigma is { } s && !(s > 0 && s < 1e6))
            {
                r.AddError($"--noise-multiplier must be positive, got {s.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
    }

    public DpSettings? Read(ParseResult parse) => parse.GetValue(_dp)
        ? new DpSettings(parse.GetValue(_epsilon) ?? 3.0, parse.GetValue(_delta) ?? 1e-5, parse.GetValue(_maxGradNorm) ?? 1.0,
            parse.GetValue(_noiseMultiplier))
        : null;
}

/// <summary>The DP-SGD budget and clipping of a <c>tessera train --dp</c> run.</summary>
internal sealed record DpSettings(double Epsilon, double Delta, double MaxGradNorm, double? NoiseMultiplier);
