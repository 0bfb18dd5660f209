using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Tessera.NodeBench;

// Measures a real domain node over real sockets: the node runs as its own process (the CLI that ./tessera builds), the
// client side is the SDK. See BENCHMARKS.md, "Domain node".
NodeBenchOptions options;
try
{
    options = NodeBenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var cli = options.Cli ?? FindCli();
if (cli is null || !File.Exists(cli))
{
    Console.Error.WriteLine($"No CLI at {cli ?? "artifacts/cli/tessera.dll"}: build it first with `./tessera --help` (or pass --cli PATH/tessera.dll).");
    return 2;
}

void Progress(string message) => Console.Error.WriteLine("nodebench: " + message);

using var cancel = new CancellationTokenSource();
NodeProcess? node = null;
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

// SIGTERM and SIGHUP stop the run like Ctrl+C (the node is killed in the finally below); a hard exit still kills it.
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
AppDomain.CurrentDomain.ProcessExit += (_, _) => node?.Dispose();

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}

var result = new BenchResult
{
    StartedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
    Machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.OSArchitecture}",
    Runtime = $".NET {Environment.Version}",
    LoadAverageBefore = LoadAverage(),
    Quick = options.Quick,
};
try
{
    Progress($"starting {cli} node start on a free loopback port");
    var clock = Stopwatch.StartNew();
    node = await NodeProcess.StartAsync(cli, options.KeepData, cancel.Token);
    result.NodeStartSeconds = clock.Elapsed.TotalSeconds;
    Progress($"node pid {node.Pid} at {node.Url}, data in {node.DataDirectory}");
    await new NodeScenario(options, node, Progress).RunAsync(result, cancel.Token);
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Progress("cancelled");
    return 130;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"nodebench failed: {ex}");
    if (node is not null)
    {
        Console.Error.WriteLine("node output (last lines):\n" + node.LastOutput());
    }

    return 1;
}
finally
{
    node?.Dispose();
}

result.LoadAverageAfter = LoadAverage();
Console.WriteLine(options.Json ? Report.ToJson(result) : Report.ToTable(result));
return 0;

static string? FindCli()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Tessera.slnx")))
        {
            return Path.Combine(dir.FullName, "artifacts", "cli", "tessera.dll");
        }
    }

    return null;
}

static string LoadAverage()
{
    try
    {
        return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "n/a";
    }
}
