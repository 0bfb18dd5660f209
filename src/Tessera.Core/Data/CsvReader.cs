using System.Globalization;
using System.Text;

namespace Tessera.Data;

/// <summary>Reads numeric CSV files (RFC 4180 quoting, invariant culture) into a <see cref="CsvTable"/> or a tensor.</summary>
/// <remarks>
/// Every cell must parse as a number in the invariant culture ("1.5", "-2e-3", "NaN", "Infinity"); leading and trailing
/// spaces are allowed. A non-numeric cell, a row with a different number of cells than the header, bad quoting and
/// limits exceeded are reported as <see cref="InvalidDataException"/> with the file, line and column.
/// </remarks>
public static class CsvReader
{
    private static readonly CsvReadOptions DefaultOptions = new();

    /// <summary>Reads the CSV file at <paramref name="path"/> (UTF-8, a byte-order mark is allowed).</summary>
    /// <param name="path">The file path.</param>
    /// <param name="options">Parsing options; null for the defaults.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or the options are invalid.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid numeric CSV; the message names line and column.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static CsvTable Read(string path, CsvReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path, options);
    }

    /// <summary>Reads a CSV document from <paramref name="reader"/>.</summary>
    /// <param name="reader">The text; it is not disposed.</param>
    /// <param name="sourceName">The name used in error messages.</param>
    /// <param name="options">Parsing options; null for the defaults.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid numeric CSV.</exception>
    public static CsvTable Read(TextReader reader, string sourceName, CsvReadOptions? options = null)
    {
        string[] names = [];
        var values = new List<double>();
        var rows = ReadRows(reader, sourceName, header => names = [.. header], (_, row) => values.AddRange(row), options);
        return new CsvTable(names, values.ToArray(), checked((int)rows));
    }

    /// <summary>
    /// Reads a CSV document row by row without keeping it: <paramref name="onHeader"/> sees the column names first, then
    /// <paramref name="onRow"/> each data row's values (the span is reused; copy what you keep). Memory stays constant
    /// whatever the file's size; the checks and messages are those of <see cref="Read(TextReader, string, CsvReadOptions?)"/>.
    /// </summary>
    /// <param name="reader">The text; it is not disposed.</param>
    /// <param name="sourceName">The name used in error messages.</param>
    /// <param name="onHeader">Receives the column names (c0, c1, ... without a header row); may throw to stop.</param>
    /// <param name="onRow">Receives each data row's 0-based index and values; may throw to stop.</param>
    /// <param name="options">Parsing options; null for the defaults.</param>
    /// <returns>The number of data rows.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid numeric CSV.</exception>
    public static long ReadRows(TextReader reader, string sourceName, Action<IReadOnlyList<string>> onHeader, CsvRowAction onRow,
        CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(onHeader);
        ArgumentNullException.ThrowIfNull(onRow);
        options ??= DefaultOptions;
        Validate(options);

        var parser = new CsvParser(reader, sourceName, options);
        var fields = new List<string>();
        string[] names;
        int dataLine;
        if (options.HasHeader)
        {
            if (!parser.TryReadRecord(fields, out _))
            {
                throw new InvalidDataException($"{sourceName}: the file is empty; expected a header row naming the columns.");
            }

            names = CheckHeader(fields, sourceName);
            onHeader(names);
            if (!parser.TryReadRecord(fields, out dataLine))
            {
                return 0;
            }
        }
        else
        {
            if (!parser.TryReadRecord(fields, out dataLine))
            {
                onHeader([]);
                return 0;
            }

            names = Enumerable.Range(0, fields.Count).Select(i => $"c{i}").ToArray();
            onHeader(names);
        }

        var row = new double[names.Length];
        long rows = 0;
        do
        {
            if (fields.Count != names.Length)
            {
                throw new InvalidDataException(
                    $"{sourceName}: line {dataLine}: the row has {fields.Count} cells but the "
                    + (options.HasHeader ? "header names" : "first row has") + $" {names.Length} columns.");
            }

            if ((rows + 1) * names.Length > options.MaxCells)
            {
                throw new InvalidDataException($"{sourceName}: line {dataLine}: the file has more than {options.MaxCells} cells.");
            }

            for (var c = 0; c < fields.Count; c++)
            {
                row[c] = ParseCell(fields[c], sourceName, dataLine, c, names[c], options);
            }

            onRow(rows, row);
            rows++;
        }
        while (parser.TryReadRecord(fields, out dataLine));

        return rows;
    }

    /// <summary>Reads the CSV file at <paramref name="path"/> as a [rows, columns] tensor.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="dtype">Float32 or Float64.</param>
    /// <param name="options">Parsing options; null for the defaults.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException">The path, dtype or options are invalid.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid numeric CSV.</exception>
    public static Tensor ReadTensor(string path, DType dtype = DType.Float32, CsvReadOptions? options = null) =>
        Read(path, options).ToTensor(dtype);

    private static void Validate(CsvReadOptions options)
    {
        if (options.Delimiter is '"' or '\r' or '\n')
        {
            throw new ArgumentException($"The CSV delimiter cannot be a quote or a line break.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFieldLength, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxColumns, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxCells, 0, nameof(options));
    }

    private static string[] CheckHeader(List<string> fields, string sourceName)
    {
        var names = fields.Select(f => f.Trim()).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            if (!seen.Add(names[i]))
            {
                throw new InvalidDataException($"{sourceName}: line 1, column {i + 1}: the column name '{names[i]}' appears twice in the header.");
            }
        }

        return names;
    }

    private static double ParseCell(string cell, string sourceName, int line, int column, string name, CsvReadOptions options)
    {
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        if (options.EmptyAsNaN && string.IsNullOrWhiteSpace(cell))
        {
            return double.NaN;
        }

        var shown = cell.Length > 40 ? cell[..40] + "..." : cell;
        var problem = string.IsNullOrWhiteSpace(cell) ? "the cell is empty" : $"'{shown}' is not a number";
        throw new InvalidDataException(
            $"{sourceName}: line {line}, column {column + 1} ('{name}'): {problem}; cells must be numbers in the invariant "
            + "culture, such as 1.5 or -2e-3.");
    }
}
