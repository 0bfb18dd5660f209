using System.Diagnostics;
using System.Text.Json;

namespace Tessera.Benchmarks;

/// <summary>Runs bench/pytorch/bench.py for one section at a time and reads its JSON into <see cref="Measurement"/>s.</summary>
internal sealed class PyTorchSide(string python, string script)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(30);

    public string Python { get; } = python;

    public string Script { get; } = script;

    /// <summary>The last document bench.py printed with its "build" object (torch version, BLAS), if any run succeeded.</summary>
    public JsonElement? Build { get; private set; }

    /// <summary>The raw documents, one per section and round, for the JSON report.</summary>
    public Dictionary<string, List<JsonElement>> Documents { get; } = [];

    /// <summary>Finds the interpreter and the script, and checks that torch imports.</summary>
    /// <returns>The side, or null with <paramref name="whyNot"/> set.</returns>
    public static PyTorchSide? Locate(RunnerOptions options, out string whyNot)
    {
        var python = options.Python ?? (File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
        var script = options.PyTorchScript ?? FindScript();
        if (script is null || !File.Exists(script))
        {
            whyNot = $"bench/pytorch/bench.py not found{(script is null ? "" : $" at {script}")}; pass --pytorch-script PATH";
            return null;
        }

        var (exit, output, error) = RunProcess(python, ["-c", "import torch; print(torch.__version__)"], TimeSpan.FromMinutes(2), null);
        if (exit != 0)
        {
            whyNot = $"torch is not importable by {python}: {LastLine(error) ?? $"exit code {exit}"}";
            return null;
        }

        whyNot = "";
        _ = output;
        return new PyTorchSide(python, script);
    }

    /// <summary>Runs one section; returns its figures, or <see cref="Measurement.Missing"/> rows when bench.py failed.</summary>
    public IReadOnlyList<Measurement> Run(BenchSection section, RunnerOptions options, TextWriter log, out string? error)
    {
        var name = RunnerOptions.NameOf(section);
        List<string> args = [Script, "--only", name];
        if (options.Quick)
        {
            args.Add("--quick");
        }

        if (options.MnistDirectory is not null)
        {
            args.AddRange(["--mnist", options.MnistDirectory]);
        }

        if (options.TrainSamples > 0)
        {
            args.AddRange(["--train-samples", options.TrainSamples.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        var (exit, output, stderr) = RunProcess(Python, args, s_timeout, log);
        JsonElement document;
        try
        {
            using var parsed = JsonDocument.Parse(output);
            document = parsed.RootElement.Clone();
        }
        catch (JsonException)
        {
            error = $"bench.py --only {name} exited with {exit} and printed no JSON: {LastLine(stderr) ?? "no message"}";
            return [];
        }

        if (!Documents.TryGetValue(name, out var list))
        {
            Documents[name] = list = [];
        }

        list.Add(document);
        if (document.TryGetProperty("build", out var build))
        {
            Build = build;
        }

        if (document.TryGetProperty("error", out var message))
        {
            error = $"bench.py: {message.GetString()}";
            return [];
        }

        error = null;
        return document.TryGetProperty("results", out var results) ? Extract(section, results) : [];
    }

    private static List<Measurement> Extract(BenchSection section, JsonElement results)
    {
        var list = new List<Measurement>();
        var name = RunnerOptions.NameOf(section);
        if (!results.TryGetProperty(name, out var r))
        {
            return list;
        }

        switch (section)
        {
            case BenchSection.Gemm:
                foreach (var g in r.EnumerateArray())
                {
                    var n = g.GetProperty("n").GetInt32();
                    list.Add(new Measurement(MatMulSection.Key(n), MatMulSection.Label(n), Measurement.GflopsUnit,
                        g.GetProperty("gflops").GetDouble(), $"best of {g.GetProperty("reps").GetInt32()}"));
                }

                break;
            case BenchSection.Conv:
                foreach (var c in r.EnumerateArray())
                {
                    var convCase = ConvSection.Cases.FirstOrDefault(k => k.Name == c.GetProperty("name").GetString());
                    if (convCase is null)
                    {
                        continue;
                    }

                    list.Add(new Measurement(ConvSection.ForwardKey(convCase), ConvSection.ForwardLabel(convCase), "ms",
                        c.GetProperty("forward").GetProperty("best_ms").GetDouble()));
                    list.Add(new Measurement(ConvSection.BackwardKey(convCase), ConvSection.BackwardLabel(convCase), "ms",
                        c.GetProperty("forward_backward").GetProperty("best_ms").GetDouble()));
                }

                break;
            default:
                var samples = r.GetProperty("train_samples").GetInt32();
                list.Add(new Measurement(TrainingSection.EpochKey(section), TrainingSection.EpochLabel(section, samples), "s",
                    r.GetProperty("epoch_seconds").GetDouble(), "one run"));
                list.Add(new Measurement(TrainingSection.AccuracyKey(section), TrainingSection.AccuracyLabel(section),
                    Measurement.AccuracyUnit, r.GetProperty("test_accuracy").GetDouble()));
                break;
        }

        return list;
    }

    private static string? FindScript()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "bench", "pytorch", "bench.py");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static string? LastLine(string text)
        => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();

    /// <summary>Runs a process; its stderr lines go to <paramref name="log"/> as they come (bench.py's progress).</summary>
    private static (int Exit, string Stdout, string Stderr) RunProcess(string file, IEnumerable<string> args, TimeSpan timeout, TextWriter? log)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["PYTHONUNBUFFERED"] = "1";
        using var process = new Process { StartInfo = info };
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stderr)
            {
                stderr.AppendLine(e.Data);
                log?.WriteLine($"pytorch {e.Data}");
            }
        };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", $"cannot start {file}: {e.Message}");
        }

        process.BeginErrorReadLine();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "", $"{file} did not finish within {timeout.TotalMinutes} minutes");
        }

        process.WaitForExit();
        lock (stderr)
        {
            return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.ToString());
        }
    }
}
