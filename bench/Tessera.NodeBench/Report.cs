using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tessera.NodeBench;

/// <summary>Prints a <see cref="BenchResult"/> as Markdown-style tables or as JSON.</summary>
internal static class Report
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string ToJson(BenchResult result) => JsonSerializer.Serialize(result, Json);

    public static string ToTable(BenchResult result)
    {
        var s = new StringBuilder();
        void Line(FormattableString text) => s.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"Tessera domain node benchmark{(result.Quick ? " (--quick)" : "")}, {result.StartedAt}");
        Line($"machine: {result.Machine}; {result.Runtime}; load average before {result.LoadAverageBefore}, after {result.LoadAverageAfter}");
        Line($"node start to /health: {result.NodeStartSeconds:F1} s; owner login (PBKDF2): {result.OwnerLoginMs:F0} ms; small dataset: {result.DatasetRows} rows x 4 columns");
        s.AppendLine();
        s.AppendLine("| sequential, one client | requests | ops | p50 ms | p90 ms | p99 ms | mean ms | max ms |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in result.Sequential)
        {
            var l = r.Latency;
            Line($"| {r.Name} | {r.HttpRequests} | {l.Count} | {l.P50Ms:F2} | {l.P90Ms:F2} | {l.P99Ms:F2} | {l.MeanMs:F2} | {l.MaxMs:F1} |");
        }

        s.AppendLine();
        foreach (var r in result.Sequential)
        {
            Line($"- {r.Name}: {r.What}");
        }

        if (result.Concurrent is { } c)
        {
            s.AppendLine();
            s.AppendLine("| concurrent | clients | seconds | ops | ops/s | p50 ms | p90 ms | p99 ms | mean ms | errors |");
            s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            var l = c.Latency;
            Line($"| {c.Operation} | {c.Clients} | {c.Seconds:F1} | {c.Operations} | {c.OpsPerSecond:F0} | {l.P50Ms:F1} | {l.P90Ms:F1} | {l.P99Ms:F1} | {l.MeanMs:F1} | {c.Errors} |");
            Line($"({c.Clients} logins in parallel took {c.LoginAllSeconds:F1} s{(c.FirstError is null ? "" : "; first error: " + c.FirstError)})");
        }

        if (result.Upload is { } u)
        {
            s.AppendLine();
            s.AppendLine("| upload | MB | rows | send s | send MB/s | ready s | end-to-end MB/s | status |");
            s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
            Line($"| CSV, streamed publish | {u.Bytes / 1e6:F1} | {u.Rows} | {u.SendSeconds:F2} | {u.SendMBps:F1} | {u.ReadySeconds:F2} | {u.ReadyMBps:F1} | {u.Status} |");
            s.AppendLine("(send: POST metadata + PUT body until its last byte was handed to the socket; ready: until the PUT answered, after validation and the mock twin; MB = 10^6 bytes)");
        }

        s.AppendLine();
        s.AppendLine("| node memory | RSS MiB | peak so far (VmHWM) MiB |");
        s.AppendLine("| --- | ---: | ---: |");
        foreach (var m in result.Memory)
        {
            Line($"| {m.When} | {m.RssMiB:F0} | {m.PeakSoFarMiB:F0} |");
        }

        return s.ToString();
    }
}
