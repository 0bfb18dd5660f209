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

/// <summary>What an access request asks for.</summary>
public enum AccessRequestKind
{
    /// <summary>One object's values.</summary>
    Object,

    /// <summary>More differential-privacy budget (epsilon) on one dataset.</summary>
    Budget,
}

/// <summary>Asks the owner to release one object's values to the caller, or (with <paramref name="DatasetId"/> and <paramref name="Epsilon"/>) for more privacy budget.</summary>
/// <param name="ObjectId">The object; null for a budget request.</param>
/// <param name="Reason">Why (1 to 1000 characters).</param>
/// <param name="DatasetId">For a budget request: the dataset.</param>
/// <param name="Epsilon">For a budget request: how much epsilon to add, in (0, 10].</param>
public sealed record AccessRequestCreate(string? ObjectId, string Reason, string? DatasetId = null, double? Epsilon = null);

/// <summary>An owner's decision with its reason.</summary>
/// <param name="Reason">Why (at most 1000 characters).</param>
public sealed record AccessDecision(string? Reason);

/// <summary>An access request.</summary>
/// <param name="Id">The request id.</param>
/// <param name="ObjectId">The object asked for, or for a budget request the dataset.</param>
/// <param name="RequesterId">Who asked.</param>
/// <param name="Reason">Why they asked.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="DecisionReason">The owner's reason, once decided.</param>
/// <param name="CreatedAt">When it was asked.</param>
/// <param name="DecidedAt">When it was decided, or null.</param>
/// <param name="Kind">An object's values or more budget.</param>
/// <param name="Epsilon">For a budget request: the epsilon asked for.</param>
public sealed record AccessRequestInfo(string Id, string ObjectId, string RequesterId, string Reason, AccessRequestStatus Status,
    string? DecisionReason, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, AccessRequestKind Kind = AccessRequestKind.Object, double? Epsilon = null);
