namespace Tessera.Node.Gateway;

/// <summary>One dataset of a domain's catalogue: metadata only.</summary>
internal sealed class CatalogueDatasetRecord
{
    public required string DomainId { get; set; }

    public required string DatasetId { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>The normalized tags as a JSON array, for display; <see cref="CatalogueTagRecord"/> rows serve the search.</summary>
    public required string TagsJson { get; set; }
}
