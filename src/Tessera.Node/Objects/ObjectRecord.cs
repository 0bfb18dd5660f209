namespace Tessera.Node.Objects;

/// <summary>A private object: values computed on the node from datasets, stored as a safetensors blob, never shown unless allowed.</summary>
internal sealed class ObjectRecord
{
    public required string Id { get; set; }

    /// <summary>Float64 or Bool.</summary>
    public required string DType { get; set; }

    /// <summary>The shape, as comma-separated sizes (empty for a scalar).</summary>
    public required string Shape { get; set; }

    /// <summary>The datasets the values derive from, comma-separated ids.</summary>
    public required string DatasetIds { get; set; }

    public required string BlobSha256 { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
