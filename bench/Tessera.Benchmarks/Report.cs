using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Benchmarks;

/// <summary>The run's figures as a table for people or one JSON document for machines.</summary>
internal sealed record Report(
    RunnerOptions Options,
    string Configuration,
    MachineProbe Machine,
    PyTorchSide? PyTorch,
    string PyTorchMissing,
    IReadOnlyList<ComparisonRow> Rows,
    IReadOnlyList<string> Errors,
    TimeSpan Elapsed)
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public void WriteTable(TextWriter output)
    {
        var m = Machine;
        output.WriteLine(string.Create(s_inv, $"Tessera vs PyTorch, side by side ({Configuration} build, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)"));
        var cpuinfo = m.CpuinfoGhz is { } g ? string.Create(s_inv, $" ({g:F2} GHz in /proc/cpuinfo)") : "";
        output.WriteLine(string.Create(s_inv,
            $"machine : {m.CpuModel}, {m.LogicalCores} logical cores, clock {m.MeasuredGhz:F2} GHz measured{cpuinfo}"));
        output.WriteLine(string.Create(s_inv,
            $"peak f32: {m.LogicalCores} cores x {m.FmaUnits} FMA x {m.VectorBits / 32} lanes x 2 x {m.MeasuredGhz:F2} GHz = {m.FormulaPeakGflops:F0} GFLOP/s; FMA loop, one core x {m.LogicalCores}: {m.MeasuredPeakGflops:F0} GFLOP/s ({m.MeasuredPeakVectorBits}-bit)"));
        output.WriteLine($"tessera : .NET {Environment.Version}, {RuntimeInformation.OSDescription}, Vector512 "
            + (Vector512.IsHardwareAccelerated ? "accelerated" : "not accelerated"));
        output.WriteLine($"pytorch : {DescribePyTorch()}");
        output.WriteLine();

        var labelWidth = Math.Max(8, Rows.Count == 0 ? 0 : Rows.Max(r => r.Label.Length));
        output.WriteLine($"{"measure".PadRight(labelWidth)}  {"unit",-8} {"Tessera",10} {"PyTorch",10} {"T/P time",9}  note");
        output.WriteLine(new string('-', labelWidth + 42 + 20));
        foreach (var row in Rows)
        {
            var ratio = row.TimeRatio is { } r ? string.Create(s_inv, $"{r:F2}x") : "";
            output.WriteLine($"{row.Label.PadRight(labelWidth)}  {row.Unit,-8} {Format(row.Tessera, row.Unit),10} "
                + $"{Format(row.PyTorch, row.Unit),10} {ratio,9}  {Note(row)}");
        }

        output.WriteLine();
        output.WriteLine("T/P time: Tessera's time over PyTorch's for the same work (for GFLOP/s, PyTorch's rate over Tessera's);");
        output.WriteLine("above 1 means Tessera is slower. Micro-benchmarks are best of N after warm-up; epochs are the best of the rounds (a fresh model each).");
        foreach (var error in Errors)
        {
            output.WriteLine($"pytorch error: {error}");
        }

        output.WriteLine(string.Create(s_inv, $"total {Elapsed.TotalSeconds:F0} s"));
    }

    public string ToJson()
    {
        var m = Machine;
        var rows = new JsonArray();
        foreach (var row in Rows)
        {
            rows.Add(new JsonObject
            {
                ["key"] = row.Key,
                ["label"] = row.Label,
                ["unit"] = row.Unit,
                ["tessera"] = row.Tessera,
                ["pytorch"] = row.PyTorch,
                ["time_ratio"] = row.TimeRatio,
                ["tessera_pct_of_peak"] = PercentOfPeak(row.Tessera, row.Unit),
                ["pytorch_pct_of_peak"] = PercentOfPeak(row.PyTorch, row.Unit),
                ["tessera_note"] = row.TesseraNote,
                ["pytorch_note"] = row.PyTorchNote,
            });
        }

        var raw = new JsonObject();
        foreach (var (section, documents) in PyTorch?.Documents ?? [])
        {
            raw[section] = new JsonArray([.. documents.Select(d => JsonNode.Parse(d.GetRawText()))]);
        }

        var root = new JsonObject
        {
            ["schema"] = "tessera-side-by-side/1",
            ["utc"] = DateTime.UtcNow.ToString("o", s_inv),
            ["configuration"] = Configuration,
            ["options"] = new JsonObject
            {
                ["quick"] = Options.Quick,
                ["rounds"] = Options.Rounds,
                ["sections"] = new JsonArray([.. Options.Sections.Select(s => (JsonNode)RunnerOptions.NameOf(s))]),
                ["mnist"] = Options.MnistDirectory,
                ["train_samples"] = Options.TrainSamples,
            },
            ["machine"] = new JsonObject
            {
                ["cpu_model"] = m.CpuModel,
                ["logical_cores"] = m.LogicalCores,
                ["cpuinfo_ghz"] = m.CpuinfoGhz,
                ["measured_ghz"] = m.MeasuredGhz,
                ["vector_bits"] = m.VectorBits,
                ["fma_units"] = m.FmaUnits,
                ["peak_gflops_formula"] = m.FormulaPeakGflops,
                ["peak_gflops_measured"] = m.MeasuredPeakGflops,
                ["peak_measured_vector_bits"] = m.MeasuredPeakVectorBits,
            },
            ["tessera"] = new JsonObject
            {
                ["dotnet"] = Environment.Version.ToString(),
                ["os"] = RuntimeInformation.OSDescription,
                ["vector512_accelerated"] = Vector512.IsHardwareAccelerated,
            },
            ["pytorch"] = new JsonObject
            {
                ["available"] = PyTorch is not null,
                ["why_not"] = PyTorch is null ? PyTorchMissing : null,
                ["build"] = PyTorch?.Build is { } b ? JsonNode.Parse(b.GetRawText()) : null,
                ["raw"] = raw,
            },
            ["rows"] = rows,
            ["errors"] = new JsonArray([.. Errors.Select(e => (JsonNode)e)]),
            ["elapsed_seconds"] = Elapsed.TotalSeconds,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private string DescribePyTorch()
    {
        if (PyTorch is null)
        {
            return PyTorchMissing;
        }

        if (PyTorch.Build is not { } build)
        {
            return $"{PyTorch.Python} {PyTorch.Script} (no build information)";
        }

        var version = build.TryGetProperty("torch_version", out var v) ? v.GetString() : "?";
        var blas = build.TryGetProperty("blas", out var b) ? b.GetString() : "?";
        var libraries = build.TryGetProperty("blas_libraries", out var l)
            ? string.Join(", ", l.EnumerateArray().Select(x => Path.GetFileName(x.GetString())).Where(x => x?.Contains("openblas", StringComparison.Ordinal) ?? false))
            : "";
        var capability = build.TryGetProperty("cpu_capability", out var c) ? c.GetString() : "?";
        var threads = build.TryGetProperty("threads", out var t) ? t.GetInt32() : 0;
        return $"torch {version}, BLAS {blas} {libraries}, CPU capability {capability}, {threads} threads";
    }

    private double? PercentOfPeak(double? gflops, string unit)
        => unit == Measurement.GflopsUnit && gflops is { } g && Machine.MeasuredPeakGflops > 0 ? 100 * g / Machine.MeasuredPeakGflops : null;

    private string Note(ComparisonRow row)
    {
        var parts = new List<string>();
        if (row.Unit == Measurement.GflopsUnit)
        {
            var t = PercentOfPeak(row.Tessera, row.Unit);
            var p = PercentOfPeak(row.PyTorch, row.Unit);
            var peak = new List<string>();
            if (t is { } tp)
            {
                peak.Add(string.Create(s_inv, $"T {tp:F1}%"));
            }

            if (p is { } pp)
            {
                peak.Add(string.Create(s_inv, $"P {pp:F1}%"));
            }

            if (peak.Count > 0)
            {
                parts.Add("of peak: " + string.Join(", ", peak));
            }
        }

        if (row.Tessera is null && row.TesseraNote is not null)
        {
            parts.Add($"Tessera {row.TesseraNote}");
        }
        else if (row.TesseraNote?.StartsWith("WRONG", StringComparison.Ordinal) ?? false)
        {
            parts.Add(row.TesseraNote);
        }

        if (row.PyTorch is null)
        {
            parts.Add(PyTorch is null ? "PyTorch not run (see header)" : "PyTorch: no figure (see errors below)");
        }

        return string.Join("; ", parts);
    }

    private static string Format(double? value, string unit) => value switch
    {
        null => "n/a",
        { } v when unit == Measurement.AccuracyUnit => v.ToString("F4", s_inv),
        { } v when v >= 100 => v.ToString("F1", s_inv),
        { } v when v >= 1 => v.ToString("F2", s_inv),
        { } v => v.ToString("F3", s_inv),
    };
}
