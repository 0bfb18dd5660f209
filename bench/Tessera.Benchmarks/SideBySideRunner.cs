using System.Diagnostics;
using System.Reflection;

namespace Tessera.Benchmarks;

/// <summary>Measures each section in Tessera, then at once in PyTorch, and prints the comparison.</summary>
internal static class SideBySideRunner
{
    public static int Run(string[] args)
    {
        RunnerOptions options;
        try
        {
            options = RunnerOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal));
            Console.Error.WriteLine("Run with --help for the options.");
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(RunnerOptions.Usage);
            return 0;
        }

        var log = Console.Error;
        var configuration = BuildConfiguration();
        if (configuration != "Release")
        {
            log.WriteLine($"WARNING: this is a {configuration} build; timings mean nothing. Run with -c Release.");
        }

        log.WriteLine("probing the machine (clock, FMA peak)...");
        var machine = MachineProbe.Run();

        PyTorchSide? pytorch = null;
        var pytorchMissing = "not run (--no-pytorch)";
        if (options.RunPyTorch)
        {
            pytorch = PyTorchSide.Locate(options, out pytorchMissing);
            if (pytorch is null)
            {
                log.WriteLine($"PyTorch side skipped: {pytorchMissing}");
            }
        }

        MnistData? mnist = null;
        string? mnistError = null;
        if (options.Sections.Any(s => s is BenchSection.Mlp or BenchSection.LeNet))
        {
            (mnist, mnistError) = LoadMnist(options.MnistDirectory);
            if (mnistError is not null)
            {
                log.WriteLine(mnistError);
            }
        }

        var tessera = new List<Measurement>();
        var torch = new List<Measurement>();
        var errors = new List<string>();
        var total = Stopwatch.StartNew();
        foreach (var section in options.Sections)
        {
            // The machine is shared and its load swings within seconds, so every section alternates the sides for several
            // rounds (a fresh model per training round), each side's best counting, and the side that goes first alternates.
            var rounds = options.Rounds;
            for (var round = 0; round < rounds; round++)
            {
                if (round % 2 == 0)
                {
                    tessera.AddRange(RunTessera(section, options, mnist, mnistError, log));
                }

                if (pytorch is not null)
                {
                    torch.AddRange(pytorch.Run(section, options, log, out var error));
                    if (error is not null)
                    {
                        errors.Add(error);
                        log.WriteLine(error);
                    }
                }

                if (round % 2 == 1)
                {
                    tessera.AddRange(RunTessera(section, options, mnist, mnistError, log));
                }
            }
        }

        var rows = ComparisonRow.Pair(Measurement.BestPerKey(tessera), Measurement.BestPerKey(torch));
        var report = new Report(options, configuration, machine, pytorch, pytorchMissing, rows, errors, total.Elapsed);
        if (options.JsonFile is not null)
        {
            File.WriteAllText(options.JsonFile, report.ToJson());
        }

        if (options.Json)
        {
            Console.WriteLine(report.ToJson());
        }
        else
        {
            report.WriteTable(Console.Out);
        }

        return 0;
    }

    private static IReadOnlyList<Measurement> RunTessera(BenchSection section, RunnerOptions options, MnistData? mnist, string? mnistError, TextWriter log)
    {
        try
        {
            return section switch
            {
                BenchSection.Gemm => MatMulSection.Run(options.Quick, log),
                BenchSection.Conv => ConvSection.Run(options.Quick, log),
                _ => TrainingSection.Run(section, mnist, mnistError, options.TrainSamples, log),
            };
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // A section that throws must not hide the others' figures; say which and why.
            var why = $"failed: {e.GetType().Name}: {e.Message}";
            log.WriteLine($"tessera {RunnerOptions.NameOf(section)} {why}");
            return [Measurement.Missing($"{RunnerOptions.NameOf(section)}.failed", $"{RunnerOptions.NameOf(section)} (Tessera)", "", why)];
        }
    }

    private static (MnistData? Data, string? Error) LoadMnist(string? directory)
    {
        if (directory is null)
        {
            return (null, "not available: no MNIST directory given (--mnist DIR)");
        }

        try
        {
            return (MnistData.Load(directory), null);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return (null, $"not available: cannot read MNIST from {directory}: {e.Message}");
        }
    }

    /// <summary>"Release" only when both this program and Tessera.Core were compiled with the JIT optimizer on.</summary>
    private static string BuildConfiguration()
    {
        static bool Optimized(Assembly assembly)
            => assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };

        return Optimized(typeof(SideBySideRunner).Assembly) && Optimized(typeof(Tensor).Assembly) ? "Release" : "Debug";
    }
}
