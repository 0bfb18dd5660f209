using System.Globalization;

namespace Tessera.NodeBench;

/// <summary>What one run measures; <see cref="Parse"/> reads the command line.</summary>
internal sealed record NodeBenchOptions
{
    public bool Json { get; init; }

    public bool Quick { get; init; }

    /// <summary>The CLI's tessera.dll (default: artifacts/cli/tessera.dll of the checkout, which ./tessera builds).</summary>
    public string? Cli { get; init; }

    /// <summary>Rows of the small dataset the operations read.</summary>
    public int Rows { get; init; } = 10_000;

    /// <summary>Sequential operations timed per kind, after <see cref="Warmup"/> untimed ones.</summary>
    public int Ops { get; init; } = 1000;

    public int Warmup { get; init; } = 100;

    public int Clients { get; init; } = 32;

    public double Seconds { get; init; } = 15;

    /// <summary>The size of the generated upload CSV, in MB (10^6 bytes).</summary>
    public int UploadMb { get; init; } = 200;

    /// <summary>Keeps the node's data folder (and prints where) instead of deleting it.</summary>
    public bool KeepData { get; init; }

    public static NodeBenchOptions Parse(string[] args)
    {
        var options = new NodeBenchOptions();
        if (args.Contains("--quick"))
        {
            options = options with { Quick = true, Ops = 50, Warmup = 10, Clients = 8, Seconds = 2, UploadMb = 20 };
        }

        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.", nameof(args));
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--quick" => options,
                "--json" => options with { Json = true },
                "--keep-data" => options with { KeepData = true },
                "--cli" => options with { Cli = Next() },
                "--rows" => options with { Rows = Int() },
                "--ops" => options with { Ops = Int() },
                "--warmup" => options with { Warmup = Int() },
                "--clients" => options with { Clients = Int() },
                "--seconds" => options with { Seconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--upload-mb" => options with { UploadMb = Int() },
                "-h" or "--help" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"Unknown option '{args[i]}'.\n{Usage}", nameof(args)),
            };
        }

        if (options.Rows < 1 || options.Ops < 1 || options.Warmup < 0 || options.Clients < 1 || options.Seconds <= 0 || options.UploadMb < 1)
        {
            throw new ArgumentException("--rows, --ops, --clients, --seconds and --upload-mb must be positive; --warmup at least 0.", nameof(args));
        }

        return options;
    }

    public const string Usage =
        "usage: dotnet run -c Release --project bench/Tessera.NodeBench -- [--json] [--quick] [--cli PATH/tessera.dll] [--rows N] [--ops N]\n"
        + "       [--warmup N] [--clients N] [--seconds S] [--upload-mb N] [--keep-data]\n"
        + "Starts `dotnet artifacts/cli/tessera.dll node start` (build it first with `./tessera --help`) on a free loopback port.";
}
