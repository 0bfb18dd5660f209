using System.Text.Json;

namespace Tessera.Data;

/// <summary>The cache manifest: size and SHA-256 of each MNIST file, so a later run can trust or reject the cache.</summary>
internal static class MnistManifest
{
    /// <summary>The manifest's file name inside the cache directory.</summary>
    public const string FileName = "mnist-manifest.json";

    /// <summary>Writes the manifest atomically (a temporary file moved into place).</summary>
    public static void Write(string directory, string source, IReadOnlyDictionary<string, string> sha256ByName)
    {
        var path = Path.Combine(directory, FileName);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = File.Create(temporary))
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteNumber("format", 1);
                writer.WriteString("source", source);
                writer.WriteStartObject("files");
                foreach (var name in Mnist.FileNames)
                {
                    writer.WriteStartObject(name);
                    writer.WriteNumber("bytes", new FileInfo(Path.Combine(directory, name)).Length);
                    writer.WriteString("sha256", sha256ByName[name]);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Reads the manifest and checks every file's size and SHA-256 against it; returns null when all match, otherwise why not.
    /// </summary>
    public static string? Check(string directory, MnistLayout layout, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return "there is no manifest";
        }

        Dictionary<string, (long Bytes, string Sha256)> expected;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > 64 * 1024)
            {
                return "the manifest is too large to be one of ours";
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            expected = [];
            foreach (var file in document.RootElement.GetProperty("files").EnumerateObject())
            {
                expected[file.Name] = (file.Value.GetProperty("bytes").GetInt64(), file.Value.GetProperty("sha256").GetString() ?? string.Empty);
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return $"the manifest is unreadable ({ex.Message})";
        }

        foreach (var name in Mnist.FileNames)
        {
            if (!expected.TryGetValue(name, out var entry))
            {
                return $"the manifest does not list {name}";
            }

            var file = new FileInfo(Path.Combine(directory, name));
            if (!file.Exists)
            {
                return $"{name} is missing";
            }

            if (file.Length != entry.Bytes || entry.Bytes != layout.SizeOf(name))
            {
                return $"{name} is {file.Length} bytes but should be {layout.SizeOf(name)}";
            }

            string actual;
            try
            {
                actual = MnistFileVerifier.Verify(file.FullName, name, layout, cancellationToken);
            }
            catch (InvalidDataException ex)
            {
                return ex.Message;
            }

            if (!string.Equals(actual, entry.Sha256, StringComparison.Ordinal))
            {
                return $"{name} has SHA-256 {actual} but the manifest records {entry.Sha256}";
            }
        }

        return null;
    }
}
