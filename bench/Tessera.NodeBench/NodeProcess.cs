using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tessera.Contracts;

namespace Tessera.NodeBench;

/// <summary>
/// A domain node run as its own OS process (<c>dotnet tessera.dll node start ...</c>) on a free loopback port with SQLite in a
/// temporary folder. Disposing it (or the process exiting) kills the node and deletes the folder.
/// </summary>
internal sealed class NodeProcess : IDisposable
{
    public const string OwnerEmail = "owner@bench.example";
    public const string OwnerPassword = "node bench owner password, long enough";

    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly bool _keepData;
    private int _disposed;

    private NodeProcess(Process process, Uri url, string dataDirectory, bool keepData)
    {
        _process = process;
        Url = url;
        DataDirectory = dataDirectory;
        _keepData = keepData;
    }

    public Uri Url { get; }

    public string DataDirectory { get; }

    public int Pid => _process.Id;

    /// <summary>Starts the node and waits until <c>/health</c> answers.</summary>
    public static async Task<NodeProcess> StartAsync(string cliDll, bool keepData, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var data = Path.Combine(Path.GetTempPath(), "tessera-nodebench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     cliDll, "node", "start", "--name", "nodebench", "--port", port.ToString(CultureInfo.InvariantCulture), "--data", data,
                     "--owner-email", OwnerEmail,
                 })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TESSERA_OWNER_PASSWORD"] = OwnerPassword;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var node = new NodeProcess(process, new Uri($"http://127.0.0.1:{port}/"), data, keepData);
        process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await node.WaitForHealthAsync(cancellationToken).ConfigureAwait(false);
            return node;
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }

    /// <summary>The node's resident set now and its peak so far (VmRSS, VmHWM of /proc/PID/status), in bytes.</summary>
    public (long Rss, long Peak) Memory()
    {
        long rss = 0, peak = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kilobytes(line);
                }
            }
        }
        catch (IOException)
        {
        }

        return (rss, peak);
    }

    /// <summary>The last lines the node printed, for a failure message.</summary>
    public string LastOutput()
    {
        lock (_lastLines)
        {
            return string.Join('\n', _lastLines);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        if (!_keepData)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            while (_lastLines.Count > 40)
            {
                _lastLines.Dequeue();
            }
        }
    }

    private async Task WaitForHealthAsync(CancellationToken cancellationToken)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The node exited during start-up (code {_process.ExitCode}):\n{LastOutput()}");
            }

            try
            {
                using var response = await probe.GetAsync(new Uri(Url, ApiRoutes.Health), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"The node did not answer {ApiRoutes.Health} within 90 s:\n{LastOutput()}");
    }
}
