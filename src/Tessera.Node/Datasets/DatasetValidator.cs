using System.Globalization;
using System.Text;
using Tessera.Contracts;
using Tessera.Data;
using Tessera.Serialization;

namespace Tessera.Node.Datasets;

/// <summary>
/// Checks an uploaded file against a dataset's schema with Tessera.Core's readers: the columns (or tensors) must be exactly
/// the declared ones and every value must lie within its declared bounds. Problems are <see cref="InvalidDataException"/>
/// whose messages name the column, row or tensor and the bounds, never the offending value.
/// </summary>
internal static class DatasetValidator
{
    /// <summary>Validates a CSV file row by row (constant memory whatever its size) and returns its number of data rows.</summary>
    public static long ValidateCsv(string path, string sourceName, IReadOnlyList<DatasetColumn> columns)
    {
        var declared = columns.Select(c => c.Name).ToArray();
        var (min, max) = (columns.Select(c => c.Min).ToArray(), columns.Select(c => c.Max).ToArray());
        long rows;
        using (var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            rows = CsvReader.ReadRows(reader, sourceName,
                header =>
                {
                    if (!header.SequenceEqual(declared, StringComparer.Ordinal))
                    {
                        throw new InvalidDataException(
                            $"{sourceName}: the header names the columns {Quote(header)} but the schema declares {Quote(declared)} (same names, same order).");
                    }
                },
                (row, values) =>
                {
                    for (var c = 0; c < values.Length; c++)
                    {
                        if (!(values[c] >= min[c] && values[c] <= max[c]))
                        {
                            throw new InvalidDataException(
                                $"{sourceName}: data row {row + 1}, column '{declared[c]}': a value lies outside the declared bounds {Bounds(columns[c])}.");
                        }
                    }
                });
        }

        if (rows == 0)
        {
            throw new InvalidDataException($"{sourceName}: the file has a header but no data rows.");
        }

        return rows;
    }

    /// <summary>
    /// Validates a safetensors file and returns the schema with each tensor's shape and dtype filled in. When
    /// <paramref name="expected"/> carries shapes (validating a provided mock), the shapes and dtypes must match them.
    /// </summary>
    public static IReadOnlyList<DatasetColumn> ValidateSafeTensors(string path, string sourceName, IReadOnlyList<DatasetColumn> expected)
    {
        SafeTensorsFile file;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            file = SafeTensors.Read(stream, sourceName);
        }

        var declared = expected.Select(c => c.Name).Order(StringComparer.Ordinal).ToArray();
        var present = file.Tensors.Keys.Order(StringComparer.Ordinal).ToArray();
        if (!declared.SequenceEqual(present, StringComparer.Ordinal))
        {
            throw new InvalidDataException($"{sourceName}: the file holds the tensors {Quote(present)} but the schema declares {Quote(declared)}.");
        }

        var result = new List<DatasetColumn>(expected.Count);
        foreach (var column in expected)
        {
            var tensor = file.Tensors[column.Name];
            var shape = tensor.ShapeToArray();
            var dtype = tensor.DType.ToString();
            if (column.Shape is not null && (!column.Shape.SequenceEqual(shape) || column.DType != dtype))
            {
                throw new InvalidDataException(
                    $"{sourceName}: tensor '{column.Name}' is {dtype} [{string.Join(", ", shape)}] but the content's is "
                    + $"{column.DType} [{string.Join(", ", column.Shape)}]; a mock twin must have the same shapes and dtypes.");
            }

            CheckBounds(tensor, column, sourceName);
            result.Add(column with { Shape = shape, DType = dtype });
        }

        return result;
    }

    private static void CheckBounds(Tensor tensor, DatasetColumn column, string sourceName)
    {
        long index = 0;
        bool ok;
        switch (tensor.DType)
        {
            case DType.Float32:
                // Compare in float so a bound such as 0.1 admits 0.1f, which is slightly larger as a double.
                var (lo, hi) = ((float)column.Min, (float)column.Max);
                ok = All(tensor.ToArray<float>(), v => v >= lo && v <= hi, ref index);
                break;
            case DType.Float64:
                ok = All(tensor.ToArray<double>(), v => v >= column.Min && v <= column.Max, ref index);
                break;
            case DType.Int64:
                ok = All(tensor.ToArray<long>(), v => v >= column.Min && v <= column.Max, ref index);
                break;
            case DType.UInt64:
                ok = All(tensor.ToArray<ulong>(), v => v >= column.Min && v <= column.Max, ref index);
                break;
            default:
                ok = All(tensor.ToArray<bool>(), v => (v ? 1.0 : 0.0) >= column.Min && (v ? 1.0 : 0.0) <= column.Max, ref index);
                break;
        }

        if (!ok)
        {
            throw new InvalidDataException(
                $"{sourceName}: tensor '{column.Name}', element {index} (row-major): a value lies outside the declared bounds {Bounds(column)}.");
        }
    }

    private static bool All<T>(T[] values, Func<T, bool> inBounds, ref long failedAt)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!inBounds(values[i]))
            {
                failedAt = i;
                return false;
            }
        }

        return true;
    }

    private static string Bounds(DatasetColumn column) =>
        string.Create(CultureInfo.InvariantCulture, $"[{column.Min}, {column.Max}]");

    private static string Quote(IEnumerable<string> names)
    {
        var list = names.Take(20).Select(n => $"'{(n.Length > 64 ? n[..64] + "..." : n)}'").ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }
}
