using System.Globalization;

namespace Tessera.Benchmarks;

/// <summary>Command-line options of the side-by-side runner.</summary>
internal sealed record RunnerOptions
{
    public const string Usage = """
        Side-by-side benchmark: Tessera and PyTorch (bench/pytorch/bench.py) on this machine, section by section.

        dotnet run -c Release --project bench/Tessera.Benchmarks -- [options]
        dotnet run -c Release --project bench/Tessera.Benchmarks -- bdn [BenchmarkDotNet options]

          --json                 print one JSON document on stdout instead of the table
          --json-file PATH       also write the JSON document to PATH (the table still goes to stdout)
          --quick                fewer repetitions, one round
          --rounds N             GEMM and conv: alternate Tessera and PyTorch N times, keep each side's best
                                 (default 2, 1 with --quick); training epochs run once
          --only LIST            comma-separated sections: gemm,conv,mlp,lenet (default: all)
          --mnist DIR            directory with the MNIST IDX files, gzip or not (needed for mlp and lenet)
          --train-samples N      train on the first N training images only (default: the whole epoch)
          --no-pytorch           measure Tessera only
          --python PATH          the Python interpreter (default: /usr/bin/python3, else python3 on PATH)
          --pytorch-script PATH  bench.py (default: found by walking up from here to bench/pytorch/bench.py)
          -h, --help             this text
        """;

    public bool Json { get; init; }

    public string? JsonFile { get; init; }

    public bool Quick { get; init; }

    public int? RoundsOption { get; init; }

    /// <summary>Rounds of every section, alternating which side goes first.</summary>
    public int Rounds => RoundsOption ?? (Quick ? 1 : 2);

    public IReadOnlyList<BenchSection> Sections { get; init; } = Enum.GetValues<BenchSection>();

    public string? MnistDirectory { get; init; }

    public int TrainSamples { get; init; }

    public bool RunPyTorch { get; init; } = true;

    public string? Python { get; init; }

    public string? PyTorchScript { get; init; }

    public bool Help { get; init; }

    /// <summary>Parses the arguments.</summary>
    /// <exception cref="ArgumentException">An option is unknown, lacks its value, or has a bad value.</exception>
    public static RunnerOptions Parse(IReadOnlyList<string> args)
    {
        var options = new RunnerOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            options = arg switch
            {
                "--json" => options with { Json = true },
                "--quick" => options with { Quick = true },
                "--no-pytorch" => options with { RunPyTorch = false },
                "-h" or "--help" => options with { Help = true },
                "--only" => options with { Sections = ParseSections(Value(args, ref i)) },
                "--json-file" => options with { JsonFile = Value(args, ref i) },
                "--mnist" => options with { MnistDirectory = Value(args, ref i) },
                "--python" => options with { Python = Value(args, ref i) },
                "--pytorch-script" => options with { PyTorchScript = Value(args, ref i) },
                "--train-samples" => options with { TrainSamples = ParseCount(Value(args, ref i), "--train-samples") },
                "--rounds" => options with { RoundsOption = Math.Max(1, ParseCount(Value(args, ref i), "--rounds")) },
                _ => throw new ArgumentException($"Unknown option '{arg}'.", nameof(args)),
            };
        }

        return options;
    }

    /// <summary>The name bench.py uses for a section.</summary>
    public static string NameOf(BenchSection section) => section.ToString().ToLowerInvariant();

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw new ArgumentException($"Option '{args[i]}' needs a value.", nameof(args));
        }

        i++;
        return args[i];
    }

    private static int ParseCount(string text, string option)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            throw new ArgumentException($"{option} needs a non-negative integer, not '{text}'.", nameof(text));
        }

        return n;
    }

    private static BenchSection[] ParseSections(string text)
    {
        var sections = new List<BenchSection>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = Enum.GetValues<BenchSection>().Where(s => NameOf(s) == part.ToLowerInvariant()).ToArray();
            if (match.Length == 0)
            {
                throw new ArgumentException($"Unknown section '{part}' in --only; known: gemm,conv,mlp,lenet.", nameof(text));
            }

            sections.Add(match[0]);
        }

        if (sections.Count == 0)
        {
            throw new ArgumentException("--only needs at least one section: gemm,conv,mlp,lenet.", nameof(text));
        }

        // Run in the canonical order whatever order the user wrote.
        return [.. sections.Distinct().Order()];
    }
}
