namespace Tessera.Contracts;

/// <summary>Where an access request stands.</summary>
public enum AccessRequestStatus
{
    /// <summary>Waits for the owner.</summary>
    Pending,

    /// <summary>The requester may read the object.</summary>
    Approved,

    /// <summary>Refused; stays refused.</summary>
    Denied,
}

/// <summary>Asks the owner to release one object's values to the caller.</summary>
/// <param name="ObjectId">The object.</param>
/// <param name="Reason">Why (1 to 1000 characters).</param>
public sealed record AccessRequestCreate(string ObjectId, string Reason);

/// <summary>An owner's decision with its reason.</summary>
/// <param name="Reason">Why (at most 1000 characters).</param>
public sealed record AccessDecision(string? Reason);

/// <summary>An access request.</summary>
/// <param name="Id">The request id.</param>
/// <param name="ObjectId">The object asked for.</param>
/// <param name="RequesterId">Who asked.</param>
/// <param name="Reason">Why they asked.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="DecisionReason">The owner's reason, once decided.</param>
/// <param name="CreatedAt">When it was asked.</param>
/// <param name="DecidedAt">When it was decided, or null.</param>
public sealed record AccessRequestInfo(string Id, string ObjectId, string RequesterId, string Reason, AccessRequestStatus Status,
    string? DecisionReason, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt);
