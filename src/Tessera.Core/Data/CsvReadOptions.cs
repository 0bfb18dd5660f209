namespace Tessera.Data;

/// <summary>How <see cref="CsvReader"/> parses a numeric CSV file.</summary>
public sealed record CsvReadOptions
{
    /// <summary>The field separator; a comma by default. It may not be a quote, CR or LF.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>Whether the first record names the columns; when false the columns are named c0, c1, ...</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>Whether an empty cell reads as NaN instead of being an error.</summary>
    public bool EmptyAsNaN { get; init; }

    /// <summary>The longest field accepted, in characters; longer fields are an error, not an allocation.</summary>
    public int MaxFieldLength { get; init; } = 4096;

    /// <summary>The most columns a record may have.</summary>
    public int MaxColumns { get; init; } = 65_536;

    /// <summary>The most cells (rows times columns) accepted.</summary>
    public long MaxCells { get; init; } = Array.MaxLength;
}
