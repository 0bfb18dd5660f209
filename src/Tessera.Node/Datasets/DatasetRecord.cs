using Tessera.Contracts;

namespace Tessera.Node.Datasets;

/// <summary>A dataset row: metadata, schema and the content-addressed blobs of its content and mock twin.</summary>
internal sealed class DatasetRecord
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public required string Description { get; set; }

    public DatasetFormat Format { get; set; }

    public DatasetStatus Status { get; set; }

    /// <summary>The schema as JSON (a list of <see cref="DatasetColumn"/>).</summary>
    public required string SchemaJson { get; set; }

    public bool MockProvided { get; set; }

    /// <summary>Hex SHA-256 of the content blob, once stored.</summary>
    public string? ContentSha256 { get; set; }

    /// <summary>The <c>Request-Id</c> of the upload that stored the content, for idempotent retries.</summary>
    public string? ContentRequestId { get; set; }

    public long ContentBytes { get; set; }

    public long? Rows { get; set; }

    /// <summary>Hex SHA-256 of the mock blob, once stored.</summary>
    public string? MockSha256 { get; set; }

    public string? MockRequestId { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Optimistic concurrency: two uploads racing for the same dataset cannot both apply.</summary>
    public int Revision { get; set; }
}
