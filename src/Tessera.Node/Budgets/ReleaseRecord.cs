namespace Tessera.Node.Budgets;

/// <summary>A differentially private release: what was asked, what it cost, and the noisy value that left the node.</summary>
internal sealed class ReleaseRecord
{
    public required string Id { get; set; }

    public required string UserId { get; set; }

    public required string DatasetId { get; set; }

    public required string Column { get; set; }

    public required string Aggregate { get; set; }

    public long Epsilon { get; set; }

    public long Delta { get; set; }

    /// <summary>The released (noisy) value: public to its requester by construction, kept for the owner's records.</summary>
    public double Value { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
