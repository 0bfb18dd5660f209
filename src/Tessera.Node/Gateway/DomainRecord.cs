namespace Tessera.Node.Gateway;

/// <summary>A registered domain. Holds the hash of its secret, never the secret.</summary>
internal sealed class DomainRecord
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public required string Url { get; set; }

    /// <summary>Hex SHA-256 of the domain secret.</summary>
    public required string SecretHash { get; set; }

    /// <summary>Hex SHA-256 of the canonical catalogue, so an unchanged catalogue is not rewritten on every heartbeat.</summary>
    public required string CatalogueHash { get; set; }

    public int DatasetCount { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }

    public DateTimeOffset LastSeen { get; set; }
}
