namespace Tessera.Node.Gateway;

/// <summary>One normalized tag of one dataset, indexed for search.</summary>
internal sealed class CatalogueTagRecord
{
    public required string DomainId { get; set; }

    public required string DatasetId { get; set; }

    public required string Tag { get; set; }
}
