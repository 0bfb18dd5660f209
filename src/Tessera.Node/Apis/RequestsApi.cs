using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Tessera.Contracts;
using Tessera.Node.Objects;
using Tessera.Node.Security;
using Tessera.Node.Storage;

namespace Tessera.Node.Apis;

/// <summary>The queue of requests to release objects' values, and the owner's decisions.</summary>
internal static class RequestsApi
{
    public const int MaxReasonLength = 1000;

    public static IEndpointRouteBuilder MapRequestsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(ApiRoutes.Requests, CreateAsync).RequireAuthorization();
        app.MapGet(ApiRoutes.Requests, ListAsync).RequireAuthorization();
        app.MapGet(ApiRoutes.Request, GetAsync).RequireAuthorization();
        app.MapPost(ApiRoutes.RequestApprove, (string id, AccessDecision? decision, ClaimsPrincipal p, NodeDbContext db, AuditLog audit, TimeProvider time,
            CancellationToken ct) => DecideAsync(id, decision, AccessRequestStatus.Approved, p, db, audit, time, ct)).RequireAuthorization(Policies.OwnerOrAdmin);
        app.MapPost(ApiRoutes.RequestDeny, (string id, AccessDecision? decision, ClaimsPrincipal p, NodeDbContext db, AuditLog audit, TimeProvider time,
            CancellationToken ct) => DecideAsync(id, decision, AccessRequestStatus.Denied, p, db, audit, time, ct)).RequireAuthorization(Policies.OwnerOrAdmin);
        return app;
    }

    internal static async Task<IResult> CreateAsync(AccessRequestCreate? request, ClaimsPrincipal principal, NodeDbContext db, AuditLog audit,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > MaxReasonLength
            || (request.ObjectId is null) == (request.DatasetId is null))
        {
            return Problems.Invalid($"Send {{\"objectId\": ..., \"reason\": ...}}, or for more privacy budget {{\"datasetId\": ..., \"epsilon\": ..., "
                + $"\"reason\": ...}}, with a reason of 1 to {MaxReasonLength} characters.");
        }

        if (request.DatasetId is not null)
        {
            return await CreateBudgetRequestAsync(request, principal, db, audit, time, cancellationToken).ConfigureAwait(false);
        }

        var record = await ObjectAccess.FindVisibleAsync(db, request.ObjectId!, principal, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Problems.NotFound("object");
        }

        var caller = Caller.Id(principal);
        var open = await db.AccessRequests.AnyAsync(
            r => r.Kind == AccessRequestKind.Object && r.ObjectId == record.Id && r.RequesterId == caller && r.Status != AccessRequestStatus.Denied,
            cancellationToken).ConfigureAwait(false);
        if (open)
        {
            return Problems.Conflict("You have already asked for this object, and the request is pending or approved.");
        }

        var entry = new AccessRequestRecord
        {
            Id = Ids.NewId(),
            ObjectId = record.Id,
            RequesterId = caller,
            Reason = request.Reason.Trim(),
            Status = AccessRequestStatus.Pending,
            CreatedAt = time.GetUtcNow(),
        };
        db.AccessRequests.Add(entry);
        audit.Add(caller, "request.create", entry.Id);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Results.Created($"{ApiRoutes.Requests}/{entry.Id}", ToInfo(entry));
    }

    internal static async Task<IResult> ListAsync(AccessRequestStatus? status, ClaimsPrincipal principal, NodeDbContext db, CancellationToken cancellationToken)
    {
        var query = db.AccessRequests.AsNoTracking();
        if (!Caller.IsOwnerOrAdmin(principal))
        {
            var caller = Caller.Id(principal);
            query = query.Where(r => r.RequesterId == caller);
        }

        if (status is { } s)
        {
            query = query.Where(r => r.Status == s);
        }

        var list = await query.OrderBy(r => r.CreatedAt).Take(1000).ToListAsync(cancellationToken).ConfigureAwait(false);
        return Results.Ok(list.Select(ToInfo).ToList());
    }

    /// <summary>One request, for its requester and the owner's staff; a foreign, missing or malformed id answers 404 alike.</summary>
    internal static async Task<IResult> GetAsync(string id, ClaimsPrincipal principal, NodeDbContext db, CancellationToken cancellationToken)
    {
        var entry = Ids.LooksLikeId(id)
            ? await db.AccessRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false)
            : null;
        return entry is null || !(Caller.IsOwnerOrAdmin(principal) || entry.RequesterId == Caller.Id(principal))
            ? Problems.NotFound("request")
            : Results.Ok(ToInfo(entry));
    }

    internal static async Task<IResult> DecideAsync(string id, AccessDecision? decision, AccessRequestStatus outcome, ClaimsPrincipal principal,
        NodeDbContext db, AuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (decision?.Reason is { Length: > MaxReasonLength })
        {
            return Problems.Invalid($"A decision's reason has at most {MaxReasonLength} characters.");
        }

        var entry = Ids.LooksLikeId(id)
            ? await db.AccessRequests.SingleOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false)
            : null;
        if (entry is null)
        {
            return Problems.NotFound("request");
        }

        if (entry.Status != AccessRequestStatus.Pending)
        {
            return Problems.Conflict($"The request was {entry.Status.ToString().ToLowerInvariant()} already; decisions are final.");
        }

        entry.Status = outcome;
        entry.DecisionReason = decision?.Reason?.Trim();
        entry.DecidedBy = Caller.Id(principal);
        entry.DecidedAt = time.GetUtcNow();
        audit.Add(entry.DecidedBy, outcome == AccessRequestStatus.Approved ? "request.approve" : "request.deny", entry.Id);
        if (entry.Kind == AccessRequestKind.Budget && outcome == AccessRequestStatus.Approved)
        {
            // The decision and the added budget commit together or not at all.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await Budgets.BudgetLedger.AddAsync(db, entry.RequesterId, entry.ObjectId, entry.Epsilon ?? 0, 0, entry.DecidedAt.Value, cancellationToken)
                .ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return Results.Ok(ToInfo(entry));
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Results.Ok(ToInfo(entry));
    }

    private static async Task<IResult> CreateBudgetRequestAsync(AccessRequestCreate request, ClaimsPrincipal principal, NodeDbContext db, AuditLog audit,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.Epsilon is not { } epsilon || !double.IsFinite(epsilon) || epsilon <= 0 || epsilon > Budgets.BudgetLedger.MaxEpsilon)
        {
            return Problems.Invalid($"A budget request names the epsilon to add, in (0, {Budgets.BudgetLedger.MaxEpsilon}].");
        }

        var dataset = await DatasetsApi.FindAsync(db, request.DatasetId!, includePending: false, tracking: false, cancellationToken).ConfigureAwait(false);
        if (dataset is null)
        {
            return Problems.NotFound("dataset");
        }

        var caller = Caller.Id(principal);
        if (await db.AccessRequests.AnyAsync(r => r.Kind == AccessRequestKind.Budget && r.ObjectId == dataset.Id && r.RequesterId == caller
            && r.Status == AccessRequestStatus.Pending, cancellationToken).ConfigureAwait(false))
        {
            return Problems.Conflict("You have a pending budget request for this dataset already.");
        }

        var entry = new AccessRequestRecord
        {
            Id = Ids.NewId(),
            Kind = AccessRequestKind.Budget,
            ObjectId = dataset.Id,
            Epsilon = Budgets.PrivacyUnits.EpsilonTotal(epsilon),
            RequesterId = caller,
            Reason = request.Reason.Trim(),
            Status = AccessRequestStatus.Pending,
            CreatedAt = time.GetUtcNow(),
        };
        db.AccessRequests.Add(entry);
        audit.Add(caller, "request.create", entry.Id);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Results.Created($"{ApiRoutes.Requests}/{entry.Id}", ToInfo(entry));
    }

    private static AccessRequestInfo ToInfo(AccessRequestRecord r) =>
        new(r.Id, r.ObjectId, r.RequesterId, r.Reason, r.Status, r.DecisionReason, r.CreatedAt, r.DecidedAt, r.Kind,
            r.Epsilon is { } e ? Budgets.PrivacyUnits.Epsilon(e) : null);
}
