namespace Tessera.Node.Datasets;

/// <summary>An access rule: this user may read the dataset's real values (through pointers, later).</summary>
internal sealed class DatasetReaderRecord
{
    public required string DatasetId { get; set; }

    public required string UserId { get; set; }
}
