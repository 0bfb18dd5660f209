using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Tessera.Contracts;
using Tessera.Node.Apis;
using Tessera.Node.Datasets;
using Tessera.Node.Security;
using Tessera.Node.Storage;

namespace Tessera.Node.Objects;

/// <summary>
/// Who may do what with a private object. Seeing one (its description, using it in plans, asking for it) is for its
/// creator and the owner's staff; reading its values is for the owner's staff, a creator who may read every dataset it
/// derives from, and a requester whose request for exactly this object was approved.
/// </summary>
internal static class ObjectAccess
{
    /// <summary>The object when the caller may see it; null when missing, malformed or foreign (they answer alike).</summary>
    public static async Task<ObjectRecord?> FindVisibleAsync(NodeDbContext db, string id, ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        if (!Ids.LooksLikeId(id))
        {
            return null;
        }

        var record = await db.Objects.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, cancellationToken).ConfigureAwait(false);
        return record is not null && (Caller.IsOwnerOrAdmin(caller) || record.CreatedBy == Caller.Id(caller)) ? record : null;
    }

    public static async Task<bool> CanReadAsync(NodeDbContext db, ObjectRecord record, ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        if (Caller.IsOwnerOrAdmin(caller))
        {
            return true;
        }

        var user = Caller.Id(caller);
        var approved = await db.AccessRequests.AnyAsync(
            r => r.Kind == AccessRequestKind.Object && r.ObjectId == record.Id && r.RequesterId == user && r.Status == AccessRequestStatus.Approved,
            cancellationToken).ConfigureAwait(false);
        if (approved)
        {
            return true;
        }

        var datasets = record.DatasetIds.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (datasets.Length == 0 || record.CreatedBy != user)
        {
            return false;
        }

        var readable = await db.Set<DatasetReaderRecord>()
            .CountAsync(r => r.UserId == user && datasets.Contains(r.DatasetId), cancellationToken).ConfigureAwait(false);
        return readable == datasets.Length;
    }

    public static ObjectInfo ToInfo(ObjectRecord o) =>
        new(o.Id, o.DType, ObjectShapes.Parse(o.Shape), o.CreatedBy, o.DatasetIds.Split(',', StringSplitOptions.RemoveEmptyEntries), o.CreatedAt,
            ObjectShapes.HasHiddenRows(o.Shape));
}
