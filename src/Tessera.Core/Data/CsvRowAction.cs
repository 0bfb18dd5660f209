namespace Tessera.Data;

/// <summary>Receives one CSV data row from <see cref="CsvReader.ReadRows"/>.</summary>
/// <param name="row">The 0-based data row index.</param>
/// <param name="values">The row's values, one per column; the buffer is reused for the next row.</param>
public delegate void CsvRowAction(long row, ReadOnlySpan<double> values);
