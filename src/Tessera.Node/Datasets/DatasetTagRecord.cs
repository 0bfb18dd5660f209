namespace Tessera.Node.Datasets;

/// <summary>One normalised tag of a dataset.</summary>
internal sealed class DatasetTagRecord
{
    public required string DatasetId { get; set; }

    public required string Tag { get; set; }
}
