using System.Globalization;
using System.Text;
using Tessera.Contracts;

namespace Tessera.NodeBench;

/// <summary>Generated CSV datasets with four numeric columns inside declared bounds (seeded, so every run sends the same bytes).</summary>
internal static class CsvFiles
{
    public static readonly DatasetColumn[] Columns =
    [
        new("age", 0, 120), new("weight", 0, 300), new("height", 50, 250), new("score", 0, 1),
    ];

    /// <summary>Writes rows until the file holds at least <paramref name="minBytes"/> bytes, or exactly <paramref name="rows"/> rows.</summary>
    /// <returns>The number of data rows written.</returns>
    public static long Write(string path, long rows, long minBytes, int seed)
    {
        var random = new Random(seed);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
        writer.Write("age,weight,height,score\n");
        long written = 0;
        var line = new StringBuilder(64);
        while (rows > 0 ? written < rows : stream.Position < minBytes)
        {
            line.Clear();
            line.Append(CultureInfo.InvariantCulture, $"{random.Next(18, 91)},{40 + (random.NextDouble() * 110):F3},");
            line.Append(CultureInfo.InvariantCulture, $"{140 + (random.NextDouble() * 70):F2},{random.NextDouble():F6}\n");
            writer.Write(line);
            written++;
            if (rows <= 0 && (written & 1023) == 0)
            {
                writer.Flush();
            }
        }

        return written;
    }
}
