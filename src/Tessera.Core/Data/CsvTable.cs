namespace Tessera.Data;

/// <summary>A numeric table read from a CSV file: named columns over row-major double values.</summary>
public sealed class CsvTable
{
    private readonly double[] _values;
    private readonly Dictionary<string, int> _indexByName;

    internal CsvTable(string[] columnNames, double[] values, int rowCount)
    {
        ColumnNames = columnNames;
        _values = values;
        RowCount = rowCount;
        _indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < columnNames.Length; i++)
        {
            _indexByName[columnNames[i]] = i;
        }
    }

    /// <summary>The column names, in file order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The number of data rows.</summary>
    public int RowCount { get; }

    /// <summary>The number of columns.</summary>
    public int ColumnCount => ColumnNames.Count;

    /// <summary>The value at <paramref name="row"/> and <paramref name="column"/>.</summary>
    /// <param name="row">The zero-based data row.</param>
    /// <param name="column">The zero-based column.</param>
    /// <exception cref="ArgumentOutOfRangeException">The row or column is out of range.</exception>
    public double this[int row, int column]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(row);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, RowCount);
            ArgumentOutOfRangeException.ThrowIfNegative(column);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, ColumnCount);
            return _values[((long)row * ColumnCount) + column];
        }
    }

    /// <summary>The zero-based index of the column named <paramref name="name"/>.</summary>
    /// <param name="name">The column name (case-sensitive).</param>
    /// <exception cref="KeyNotFoundException">No column has that name.</exception>
    public int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_indexByName.TryGetValue(name, out var index))
        {
            throw new KeyNotFoundException($"The CSV has no column '{name}'; its columns are {string.Join(", ", ColumnNames)}.");
        }

        return index;
    }

    /// <summary>The values of one column as a new array.</summary>
    /// <param name="name">The column name.</param>
    /// <exception cref="KeyNotFoundException">No column has that name.</exception>
    public double[] Column(string name)
    {
        var index = IndexOf(name);
        var result = new double[RowCount];
        for (var r = 0; r < RowCount; r++)
        {
            result[r] = _values[((long)r * ColumnCount) + index];
        }

        return result;
    }

    /// <summary>The table, or the named columns of it in the given order, as a [rows, columns] tensor.</summary>
    /// <param name="dtype">Float32 or Float64.</param>
    /// <param name="columns">The columns to take; all columns when empty.</param>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is not a floating-point dtype.</exception>
    /// <exception cref="KeyNotFoundException">A named column does not exist.</exception>
    public Tensor ToTensor(DType dtype = DType.Float32, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (dtype is not (DType.Float32 or DType.Float64))
        {
            throw new ArgumentException($"A CSV table converts to Float32 or Float64, not {dtype}.", nameof(dtype));
        }

        var indices = columns.Length == 0 ? Enumerable.Range(0, ColumnCount).ToArray() : columns.Select(IndexOf).ToArray();
        var data = new double[(long)RowCount * indices.Length];
        for (var r = 0; r < RowCount; r++)
        {
            for (var c = 0; c < indices.Length; c++)
            {
                data[((long)r * indices.Length) + c] = _values[((long)r * ColumnCount) + indices[c]];
            }
        }

        var tensor = Tensor.FromArray(data, RowCount, indices.Length);
        return dtype == DType.Float64 ? tensor : tensor.To(DType.Float32);
    }
}
