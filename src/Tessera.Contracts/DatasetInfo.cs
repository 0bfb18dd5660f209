namespace Tessera.Contracts;

/// <summary>A dataset's public description: metadata and schema, never the values.</summary>
/// <param name="Id">The dataset's unguessable id.</param>
/// <param name="Name">The display name.</param>
/// <param name="Description">The description.</param>
/// <param name="Format">CSV or safetensors.</param>
/// <param name="Status">Pending until content and mock are stored, then Ready.</param>
/// <param name="Tags">The normalised tags.</param>
/// <param name="Columns">The schema with declared bounds (and, for safetensors, shapes once known).</param>
/// <param name="Rows">The number of CSV data rows once the content is stored; null for safetensors or before.</param>
/// <param name="SizeBytes">The content's size in bytes once stored; 0 before.</param>
/// <param name="MockProvided">True when the publisher uploaded the mock; false when the node synthesised it.</param>
/// <param name="CreatedBy">The publisher's user id.</param>
/// <param name="CreatedAt">When the metadata was created.</param>
/// <param name="ReaderIds">Who may read the real values; shown to the owner and admins only, null for others.</param>
public sealed record DatasetInfo(
    string Id,
    string Name,
    string Description,
    DatasetFormat Format,
    DatasetStatus Status,
    IReadOnlyList<string> Tags,
    IReadOnlyList<DatasetColumn> Columns,
    long? Rows,
    long SizeBytes,
    bool MockProvided,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string>? ReaderIds);
