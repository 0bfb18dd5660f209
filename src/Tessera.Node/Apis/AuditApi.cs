using Microsoft.EntityFrameworkCore;
using Tessera.Contracts;
using Tessera.Node.Security;
using Tessera.Node.Storage;

namespace Tessera.Node.Apis;

/// <summary>The owner's view of the audit log, newest first.</summary>
internal static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Audit, ListAsync).RequireAuthorization(Policies.Owner);
        return app;
    }

    internal static async Task<IResult> ListAsync(NodeDbContext db, int? limit, CancellationToken cancellationToken)
    {
        var take = Math.Clamp(limit ?? 100, 1, 1000);
        var entries = await db.Audit.AsNoTracking().OrderByDescending(a => a.At).Take(take).ToListAsync(cancellationToken).ConfigureAwait(false);
        return Results.Ok(entries.Select(a => new AuditEntryInfo(a.Id, a.At, a.ActorId, a.Action, a.Subject, a.Outcome)).ToList());
    }
}
