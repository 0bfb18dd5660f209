using System.Security.Cryptography;

namespace Tessera.Node.Datasets;

/// <summary>
/// Content-addressed files under <c>DataDirectory/blobs</c>, named by their SHA-256. Uploads stream into <c>blobs/tmp</c>
/// (same volume, so promotion is an atomic rename); a temporary file is never referenced by the database, so files left
/// there by a crash are garbage and are removed on start.
/// </summary>
internal sealed class DatasetBlobStore
{
    private const int BufferBytes = 1 << 16;

    public DatasetBlobStore(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        Root = Path.Combine(Path.GetFullPath(dataDirectory), "blobs");
        TemporaryDirectory = Path.Combine(Root, "tmp");
    }

    public string Root { get; }

    public string TemporaryDirectory { get; }

    /// <summary>Removes every temporary file (left by uploads interrupted by a crash). Call on start only.</summary>
    public void CleanTemporaryFiles()
    {
        if (!Directory.Exists(TemporaryDirectory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(TemporaryDirectory))
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Held by another process: left for the next start.
            }
        }
    }

    /// <summary>A new, empty temporary file path.</summary>
    public string NewTemporaryPath()
    {
        Directory.CreateDirectory(TemporaryDirectory);
        return Path.Combine(TemporaryDirectory, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + ".part");
    }

    /// <summary>Streams <paramref name="body"/> into a temporary file, hashing as it goes, and stops past <paramref name="limit"/> bytes.</summary>
    /// <exception cref="UploadTooLargeException">The body is longer than the limit; the partial file is deleted.</exception>
    public async Task<StagedBlob> ReceiveAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        var path = NewTemporaryPath();
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[BufferBytes];
            long total = 0;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, useAsync: true))
            {
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > limit)
                    {
                        throw new UploadTooLargeException(limit);
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            return new StagedBlob(path, Convert.ToHexStringLower(hash.GetHashAndReset()), total);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Hashes a temporary file written by the node itself (a synthesised mock).</summary>
    public static StagedBlob Stage(string temporaryPath)
    {
        using var stream = new FileStream(temporaryPath, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes);
        var sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        return new StagedBlob(temporaryPath, sha, stream.Length);
    }

    /// <summary>
    /// Moves the staged file to its content address unless a blob with that content exists already; the temporary file stays
    /// when it was not needed, so <see cref="Promote"/> can be called again after the database commit to close the window
    /// in which a concurrent delete removed the shared blob. <see cref="Discard"/> removes what is left.
    /// </summary>
    public void Promote(StagedBlob staged)
    {
        var target = PathOf(staged.Sha256);
        if (File.Exists(target) || !File.Exists(staged.TemporaryPath))
        {
            return;
        }

        try
        {
            File.Move(staged.TemporaryPath, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another upload of the same bytes won the race; its blob is identical.
        }
    }

    /// <summary>Deletes the staged temporary file if it is still there.</summary>
    public static void Discard(StagedBlob? staged)
    {
        if (staged is not null)
        {
            File.Delete(staged.TemporaryPath);
        }
    }

    /// <summary>The path of the blob named <paramref name="sha256"/>.</summary>
    /// <exception cref="ArgumentException">The name is not 64 lower-case hex characters.</exception>
    public string PathOf(string sha256)
    {
        if (sha256 is not { Length: 64 } || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("A blob name is a lower-case hex SHA-256 (64 characters).", nameof(sha256));
        }

        return Path.Combine(Root, sha256);
    }

    /// <summary>Deletes the blob named <paramref name="sha256"/> if present.</summary>
    public void Delete(string sha256) => File.Delete(PathOf(sha256));
}
