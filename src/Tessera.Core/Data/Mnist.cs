namespace Tessera.Data;

/// <summary>Loads the MNIST handwritten digits from a cache directory holding the four IDX files.</summary>
/// <remarks>
/// Fill the cache with <see cref="MnistFetcher.FetchAsync"/> (or <c>tessera data fetch mnist</c>), or place the four files
/// there by hand, uncompressed or gzip-compressed with a <c>.gz</c> suffix.
/// </remarks>
public static class Mnist
{
    /// <summary>The training images file name.</summary>
    public const string TrainImagesFileName = "train-images-idx3-ubyte";

    /// <summary>The training labels file name.</summary>
    public const string TrainLabelsFileName = "train-labels-idx1-ubyte";

    /// <summary>The test images file name.</summary>
    public const string TestImagesFileName = "t10k-images-idx3-ubyte";

    /// <summary>The test labels file name.</summary>
    public const string TestLabelsFileName = "t10k-labels-idx1-ubyte";

    /// <summary>The number of classes (digits 0 to 9).</summary>
    public const int ClassCount = 10;

    /// <summary>The four file names.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        [TrainImagesFileName, TrainLabelsFileName, TestImagesFileName, TestLabelsFileName];

    /// <summary>Loads one split as images scaled to [0, 1] and Int64 labels 0 to 9.</summary>
    /// <param name="cacheDirectory">The directory with the IDX files.</param>
    /// <param name="split">Training or test set.</param>
    /// <param name="flatten">Whether images are [N, 784] (for a multilayer perceptron) instead of [N, 1, 28, 28].</param>
    /// <returns>The dataset: Float32 images and Int64 labels [N].</returns>
    /// <exception cref="ArgumentException"><paramref name="cacheDirectory"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">A file is missing; the message says how to get it.</exception>
    /// <exception cref="InvalidDataException">A file is not MNIST-shaped or a label is out of range.</exception>
    public static TensorDataset Load(string cacheDirectory, MnistSplit split, bool flatten = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(cacheDirectory);
        var (imagesName, labelsName) = split == MnistSplit.Train
            ? (TrainImagesFileName, TrainLabelsFileName)
            : (TestImagesFileName, TestLabelsFileName);
        var imagesPath = Resolve(cacheDirectory, imagesName);
        var labelsPath = Resolve(cacheDirectory, labelsName);

        var images = IdxReader.Read(imagesPath, new IdxReadOptions { ScaleToUnitRange = true });
        var labels = IdxReader.Read(labelsPath);
        var side = MnistLayout.Side;
        if (images.Rank != 3 || images.Size(1) != side || images.Size(2) != side)
        {
            throw new InvalidDataException($"{imagesPath}: MNIST images must have shape [N, {side}, {side}], not {images}.");
        }

        if (labels.Rank != 1 || labels.Size(0) != images.Size(0))
        {
            throw new InvalidDataException($"{labelsPath}: MNIST labels must have shape [{images.Size(0)}] to match the images, not {labels}.");
        }

        var values = labels.AsSpan<long>();
        var bad = values.IndexOfAnyExceptInRange(0L, ClassCount - 1);
        if (bad >= 0)
        {
            throw new InvalidDataException($"{labelsPath}: label {bad} is {values[bad]}; MNIST labels are 0 to {ClassCount - 1}.");
        }

        var n = images.Size(0);
        var inputs = flatten ? images.Reshape(n, side * side) : images.Reshape(n, 1, side, side);
        return new TensorDataset(inputs, labels);
    }

    private static string Resolve(string directory, string name)
    {
        var plain = Path.Combine(directory, name);
        if (File.Exists(plain))
        {
            return plain;
        }

        var gz = plain + ".gz";
        if (File.Exists(gz))
        {
            return gz;
        }

        throw new FileNotFoundException(
            $"The MNIST file '{name}' is not in '{directory}'. Run 'tessera data fetch mnist' (or MnistFetcher.FetchAsync), "
            + $"or place the four files {string.Join(", ", FileNames)} (optionally with a .gz suffix) there.",
            plain);
    }
}
