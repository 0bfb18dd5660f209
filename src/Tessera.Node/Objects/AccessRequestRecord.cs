using Tessera.Contracts;

namespace Tessera.Node.Objects;

/// <summary>A request to release one object's values to one user.</summary>
internal sealed class AccessRequestRecord
{
    public required string Id { get; set; }

    public required string ObjectId { get; set; }

    public required string RequesterId { get; set; }

    public required string Reason { get; set; }

    public AccessRequestStatus Status { get; set; }

    public string? DecisionReason { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }
}
