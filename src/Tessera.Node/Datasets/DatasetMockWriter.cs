using System.Globalization;
using System.Text;
using Tessera.Contracts;
using Tessera.Serialization;

namespace Tessera.Node.Datasets;

/// <summary>
/// Synthesises a dataset's mock twin from its schema alone: the same columns (and rows) or tensors (shapes and dtypes), with
/// every value drawn uniformly within the declared bounds from the given random source (the OS CSPRNG in the node). It reads
/// nothing of the real values, so the mock reveals only what the schema does.
/// </summary>
internal static class DatasetMockWriter
{
    /// <summary>Writes a CSV mock with <paramref name="rows"/> rows to <paramref name="path"/>.</summary>
    public static void WriteCsv(string path, IReadOnlyList<DatasetColumn> columns, long rows, IRandomSource random)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
        writer.NewLine = "\n";
        writer.WriteLine(string.Join(',', columns.Select(c => QuoteField(c.Name))));
        var line = new StringBuilder();
        for (long r = 0; r < rows; r++)
        {
            line.Clear();
            for (var c = 0; c < columns.Count; c++)
            {
                if (c > 0)
                {
                    line.Append(',');
                }

                line.Append(UniformDouble(columns[c].Min, columns[c].Max, random).ToString("R", CultureInfo.InvariantCulture));
            }

            writer.WriteLine(line);
        }
    }

    /// <summary>Writes a safetensors mock to <paramref name="path"/>; every column must carry its shape and dtype.</summary>
    public static void WriteSafeTensors(string path, IReadOnlyList<DatasetColumn> columns, IRandomSource random)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            var shape = column.Shape ?? throw new InvalidOperationException($"Tensor '{column.Name}' has no recorded shape.");
            var count = checked((int)shape.Aggregate(1L, (a, d) => a * d));
            tensors[column.Name] = Enum.Parse<DType>(column.DType!) switch
            {
                DType.Float32 => Tensor.FromArray(Fill(count, () => UniformFloat(column.Min, column.Max, random)), shape),
                DType.Float64 => Tensor.FromArray(Fill(count, () => UniformDouble(column.Min, column.Max, random)), shape),
                DType.Int64 => Tensor.FromArray(Fill(count, () => UniformLong(column.Min, column.Max, random)), shape),
                DType.UInt64 => Tensor.FromArray(Fill(count, () => (ulong)UniformLong(Math.Max(column.Min, 0), column.Max, random)), shape),
                _ => Tensor.FromArray(Fill(count, () => UniformBool(column.Min, column.Max, random)), shape),
            };
        }

        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        SafeTensors.Write(stream, tensors);
    }

    private static T[] Fill<T>(int count, Func<T> next)
    {
        var values = new T[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = next();
        }

        return values;
    }

    private static double UniformDouble(double min, double max, IRandomSource random) =>
        Math.Clamp(min + ((max - min) * random.NextDouble()), min, max);

    private static float UniformFloat(double min, double max, IRandomSource random) =>
        Math.Clamp((float)UniformDouble(min, max, random), (float)min, (float)max);

    // Integers in [ceil(min), floor(max)], clamped to the long range; the real tensor passed the same bounds, so the range is
    // not empty unless the tensor has no elements.
    private static long UniformLong(double min, double max, IRandomSource random)
    {
        var lo = Math.Ceiling(Math.Max(min, long.MinValue));
        var hi = Math.Floor(Math.Min(max, long.MaxValue));
        if (hi <= lo)
        {
            return (long)lo;
        }

        var value = Math.Floor(lo + ((hi - lo + 1) * random.NextDouble()));
        return (long)Math.Clamp(value, lo, hi);
    }

    private static bool UniformBool(double min, double max, IRandomSource random)
    {
        var allowsFalse = min <= 0 && max >= 0;
        var allowsTrue = min <= 1 && max >= 1;
        return allowsFalse && allowsTrue ? (random.NextUInt64() & 1) == 1 : allowsTrue;
    }

    private static string QuoteField(string field) =>
        field.IndexOfAny([',', '"', '\r', '\n']) >= 0 || field != field.Trim() ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
