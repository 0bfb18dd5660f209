namespace Tessera.Contracts;

/// <summary>Creates a dataset's metadata (POST <see cref="ApiRoutes.Datasets"/>); the files follow by PUT.</summary>
/// <param name="Name">A display name, 1 to 128 characters.</param>
/// <param name="Description">A description, at most 4,000 characters.</param>
/// <param name="Format">CSV or safetensors.</param>
/// <param name="Tags">Up to 16 tags of 1 to 32 characters in [a-z0-9-] (upper case is lowered).</param>
/// <param name="Columns">Every CSV column in header order, or every tensor, with its bounds.</param>
/// <param name="ReaderIds">The user ids allowed to read the real values (through pointers); empty for none.</param>
/// <param name="MockProvided">True to upload the mock twin as a second file; false to have the node synthesise it.</param>
public sealed record DatasetCreateRequest(
    string Name,
    string? Description,
    DatasetFormat Format,
    IReadOnlyList<string>? Tags,
    IReadOnlyList<DatasetColumn> Columns,
    IReadOnlyList<string>? ReaderIds,
    bool MockProvided);
