using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Tessera.Contracts;
using Tessera.Node.Budgets;
using Tessera.Node.Security;
using Tessera.Node.Storage;

namespace Tessera.Node.Apis;

/// <summary>Privacy budgets per (data scientist, dataset): set by the owner's staff, seen with their spend.</summary>
internal static class BudgetsApi
{
    public static IEndpointRouteBuilder MapBudgetsApi(this IEndpointRouteBuilder app)
    {
        app.MapPut(ApiRoutes.Budgets, SetAsync).RequireAuthorization(Policies.OwnerOrAdmin);
        app.MapGet(ApiRoutes.Budgets, ListAsync).RequireAuthorization();
        return app;
    }

    internal static async Task<IResult> SetAsync(BudgetSet? request, ClaimsPrincipal principal, NodeDbContext db, AuditLog audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (request?.UserId is null || request.DatasetId is null)
        {
            return Problems.Invalid("Send {\"userId\": ..., \"datasetId\": ..., \"epsilon\": ..., \"delta\": ...}.");
        }

        if (!double.IsFinite(request.Epsilon) || request.Epsilon < 0 || request.Epsilon > BudgetLedger.MaxTotalEpsilon)
        {
            return Problems.Invalid($"'epsilon' must lie in [0, {BudgetLedger.MaxTotalEpsilon}].");
        }

        if (!double.IsFinite(request.Delta) || request.Delta < 0 || request.Delta > BudgetLedger.MaxDelta)
        {
            return Problems.Invalid($"'delta' must lie in [0, {BudgetLedger.MaxDelta}].");
        }

        var user = Ids.LooksLikeId(request.UserId)
            ? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == request.UserId, cancellationToken).ConfigureAwait(false)
            : null;
        if (user is null)
        {
            return Problems.NotFound("user");
        }

        if (await DatasetsApi.FindAsync(db, request.DatasetId, includePending: false, tracking: false, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound("dataset");
        }

        var now = time.GetUtcNow();
        var budget = await BudgetLedger.SetAsync(db, user.Id, request.DatasetId, PrivacyUnits.EpsilonTotal(request.Epsilon),
            PrivacyUnits.DeltaTotal(request.Delta), now, cancellationToken).ConfigureAwait(false);
        audit.Add(Caller.Id(principal), "budget.set", $"{user.Id}/{request.DatasetId}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Results.Ok(BudgetLedger.ToInfo(budget));
    }

    /// <summary>Every budget for the owner's staff (optionally of one dataset or user); a data scientist's own otherwise.</summary>
    internal static async Task<IResult> ListAsync(string? datasetId, string? userId, ClaimsPrincipal principal, NodeDbContext db,
        CancellationToken cancellationToken)
    {
        var query = db.Budgets.AsNoTracking();
        if (!Caller.IsOwnerOrAdmin(principal))
        {
            var caller = Caller.Id(principal);
            query = query.Where(b => b.UserId == caller);
        }
        else if (userId is not null)
        {
            query = query.Where(b => b.UserId == userId);
        }

        if (datasetId is not null)
        {
            query = query.Where(b => b.DatasetId == datasetId);
        }

        var budgets = await query.OrderBy(b => b.DatasetId).ThenBy(b => b.UserId).Take(1000).ToListAsync(cancellationToken).ConfigureAwait(false);
        return Results.Ok(budgets.Select(BudgetLedger.ToInfo).ToList());
    }
}
