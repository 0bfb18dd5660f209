using System.Security.Cryptography;
using Tessera.Serialization;

namespace Tessera.Data;

/// <summary>Checks one uncompressed MNIST IDX file: header, exact size, label range; and computes its SHA-256.</summary>
internal static class MnistFileVerifier
{
    /// <summary>Verifies the file and returns its lowercase hex SHA-256.</summary>
    /// <exception cref="InvalidDataException">The file is not the expected MNIST file; the message says why.</exception>
    public static string Verify(string path, string fileName, MnistLayout layout, CancellationToken cancellationToken)
    {
        var expectedSize = layout.SizeOf(fileName);
        var isImages = MnistLayout.IsImages(fileName);
        var count = layout.CountFor(fileName);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (stream.Length != expectedSize)
        {
            throw new InvalidDataException($"{path}: {fileName} must be {expectedSize} bytes, but it is {stream.Length}.");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var headerSize = isImages ? 16 : 8;
        var header = new byte[headerSize];
        StreamReading.ReadExactly(stream, header, path, "the IDX header");
        hash.AppendData(header);
        using (var headerStream = new MemoryStream(header, 4, headerSize - 4))
        {
            var parsed = IdxHeader.Parse(header.AsSpan(0, 4), headerStream, path, long.MaxValue);
            int[] expectedDims = isImages ? [count, MnistLayout.Side, MnistLayout.Side] : [count];
            if (parsed.TypeCode != 0x08 || !parsed.Dimensions.AsSpan().SequenceEqual(expectedDims))
            {
                throw new InvalidDataException(
                    $"{path}: {fileName} must hold unsigned bytes of shape [{string.Join(", ", expectedDims)}], but its header declares "
                    + $"{IdxHeader.NameOf(parsed.TypeCode)} of shape [{string.Join(", ", parsed.Dimensions)}].");
            }
        }

        var buffer = new byte[1 << 16];
        long position = headerSize;
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!isImages)
            {
                var bad = buffer.AsSpan(0, n).IndexOfAnyExceptInRange((byte)0, (byte)(Mnist.ClassCount - 1));
                if (bad >= 0)
                {
                    throw new InvalidDataException(
                        $"{path}: label {position - headerSize + bad} is {buffer[bad]}; MNIST labels are 0 to {Mnist.ClassCount - 1}.");
                }
            }

            hash.AppendData(buffer, 0, n);
            position += n;
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
