using System.Security.Claims;
using Microsoft.Extensions.Options;
using Tessera.Contracts;
using Tessera.Node.Datasets;
using Tessera.Node.Hosting;
using Tessera.Node.Objects;
using Tessera.Node.Storage;

namespace Tessera.Node.Apis;

/// <summary>Private objects: their description, and their values for those allowed to read them.</summary>
internal static class ObjectsApi
{
    /// <summary>The most elements returned as JSON in one read.</summary>
    public const int MaxJsonElements = 1_000_000;

    public static IEndpointRouteBuilder MapObjectsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Object, GetAsync).RequireAuthorization();
        app.MapGet(ApiRoutes.ObjectValue, ValueAsync).RequireAuthorization();
        return app;
    }

    internal static async Task<IResult> GetAsync(string id, ClaimsPrincipal principal, NodeDbContext db, CancellationToken cancellationToken)
    {
        var record = await ObjectAccess.FindVisibleAsync(db, id, principal, cancellationToken).ConfigureAwait(false);
        return record is null ? Problems.NotFound("object") : Results.Ok(ObjectAccess.ToInfo(record));
    }

    internal static async Task<IResult> ValueAsync(string id, ClaimsPrincipal principal, NodeDbContext db, AuditLog audit,
        IOptions<NodeOptions> options, CancellationToken cancellationToken)
    {
        var record = await ObjectAccess.FindVisibleAsync(db, id, principal, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Problems.NotFound("object");
        }

        var caller = Caller.Id(principal);
        if (!await ObjectAccess.CanReadAsync(db, record, principal, cancellationToken).ConfigureAwait(false))
        {
            audit.Add(caller, "object.read", record.Id, AuditLog.Denied);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Problems.Forbidden(
                $"This object is private to the data owner. Ask for its values with POST {ApiRoutes.Requests} "
                + "{\"objectId\": \"" + record.Id + "\", \"reason\": \"...\"}; the owner approves or denies the request.");
        }

        var shape = ObjectShapes.Parse(record.Shape);
        if (shape.Aggregate(1L, (a, b) => a * b) > MaxJsonElements)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, ProblemTypes.TooLarge, "Too large",
                $"The object has more than {MaxJsonElements} elements; reduce it with a plan first.");
        }

        var value = ObjectStore.Read(new DatasetBlobStore(options.Value.DataDirectory), record);
        audit.Add(caller, "object.read", record.Id);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var numbers = value.To(DType.Float64).ToArray<double>(); // Bool reads as 0 and 1
        return Results.Ok(new ObjectValue(record.Id, record.DType, value.ShapeToArray(), numbers));
    }
}
