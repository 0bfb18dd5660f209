using Tessera.Contracts;

namespace Tessera.Node.Objects;

/// <summary>A request to release one object's values to one user, or to add privacy budget on one dataset.</summary>
internal sealed class AccessRequestRecord
{
    public required string Id { get; set; }

    public AccessRequestKind Kind { get; set; }

    /// <summary>The object, or for a budget request the dataset.</summary>
    public required string ObjectId { get; set; }

    /// <summary>For a budget request: the epsilon asked for, in budget units (see Budgets.PrivacyUnits).</summary>
    public long? Epsilon { get; set; }

    public required string RequesterId { get; set; }

    public required string Reason { get; set; }

    public AccessRequestStatus Status { get; set; }

    public string? DecisionReason { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }
}
