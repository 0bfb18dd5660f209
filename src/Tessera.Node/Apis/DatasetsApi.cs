using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Contracts;
using Tessera.Node.Datasets;
using Tessera.Node.Hosting;
using Tessera.Node.Security;
using Tessera.Node.Storage;

namespace Tessera.Node.Apis;

/// <summary>
/// Datasets: publish (metadata by POST, then the files by idempotent PUT), list, search by tag, get, download the mock
/// twin, delete. Everyone logged in sees metadata and mock data; only the owner and admins publish and delete; the real
/// values never leave through this API.
/// </summary>
internal static class DatasetsApi
{
    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        // Uploads interrupted by a crash leave only temporary files; no row points at them.
        var options = app.ServiceProvider.GetRequiredService<IOptions<NodeOptions>>().Value;
        new DatasetBlobStore(options.DataDirectory).CleanTemporaryFiles();

        app.MapGet(ApiRoutes.Datasets, ListAsync).RequireAuthorization();
        app.MapPost(ApiRoutes.Datasets, CreateAsync).RequireAuthorization(Policies.OwnerOrAdmin);
        app.MapGet(ApiRoutes.Dataset, GetAsync).RequireAuthorization();
        app.MapDelete(ApiRoutes.Dataset, DeleteAsync).RequireAuthorization(Policies.OwnerOrAdmin);
        app.MapGet(ApiRoutes.DatasetMock, DownloadMockAsync).RequireAuthorization();
        app.MapPut(ApiRoutes.DatasetContent, DatasetUploads.PutContentAsync).RequireAuthorization(Policies.OwnerOrAdmin);
        app.MapPut(ApiRoutes.DatasetMock, DatasetUploads.PutMockAsync).RequireAuthorization(Policies.OwnerOrAdmin);
        return app;
    }

    /// <summary>Ready datasets, newest first, optionally only those with <paramref name="tag"/>.</summary>
    internal static async Task<IResult> ListAsync(string? tag, ClaimsPrincipal principal, NodeDbContext db, AuditLog audit,
        CancellationToken cancellationToken)
    {
        var query = db.Set<DatasetRecord>().AsNoTracking().Where(d => d.Status == DatasetStatus.Ready);
        if (tag is not null)
        {
            var normalized = DatasetRules.NormalizeTag(tag);
            if (normalized is null)
            {
                return Problems.Invalid($"A tag is 1 to {DatasetRules.MaxTagLength} characters of a-z, 0-9 and '-'.");
            }

            query = query.Where(d => db.Set<DatasetTagRecord>().Any(t => t.DatasetId == d.Id && t.Tag == normalized));
        }

        var records = await query.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id).Take(1000).ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        audit.Add(Caller.Id(principal), "dataset.list", tag is null ? null : DatasetRules.NormalizeTag(tag));
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Results.Ok(await DatasetViews.ToInfosAsync(db, records, Caller.IsOwnerOrAdmin(principal), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Creates a pending dataset and answers where to upload its files.</summary>
    internal static async Task<IResult> CreateAsync(DatasetCreateRequest? request, ClaimsPrincipal principal, NodeDbContext db, AuditLog audit,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return Problems.Invalid("Send {\"name\", \"description\", \"format\", \"tags\", \"columns\": [{\"name\", \"min\", \"max\"}], "
                + "\"readerIds\", \"mockProvided\"}.");
        }

        if (DatasetRules.Problem(request, out var tags) is { } problem)
        {
            return Problems.Invalid(problem);
        }

        var readers = (request.ReaderIds ?? []).Distinct(StringComparer.Ordinal).ToList();
        var known = await db.Users.AsNoTracking().Where(u => readers.Contains(u.Id)).Select(u => u.Id).ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        if (readers.FirstOrDefault(r => !known.Contains(r)) is { } unknown)
        {
            return Problems.Invalid($"readerIds[{readers.IndexOf(unknown)}] is not a user id of this node.");
        }

        var caller = Caller.Id(principal);
        var record = new DatasetRecord
        {
            Id = Ids.NewId(),
            Name = request.Name.Trim(),
            Description = request.Description ?? string.Empty,
            Format = request.Format,
            Status = DatasetStatus.Pending,
            SchemaJson = DatasetViews.WriteSchema(request.Columns.Select(c => new DatasetColumn(c.Name, c.Min, c.Max)).ToList()),
            MockProvided = request.MockProvided,
            CreatedBy = caller,
            CreatedAt = time.GetUtcNow(),
        };
        db.Add(record);
        db.AddRange(tags.Select(t => new DatasetTagRecord { DatasetId = record.Id, Tag = t }));
        db.AddRange(readers.Select(u => new DatasetReaderRecord { DatasetId = record.Id, UserId = u }));
        audit.Add(caller, "dataset.create", record.Id);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        var info = await DatasetViews.ToInfoAsync(db, record, withReaders: true, cancellationToken).ConfigureAwait(false);
        return Results.Created(DatasetViews.DatasetRoute(record.Id),
            new DatasetCreatedResponse(info, DatasetViews.ContentRoute(record.Id), record.MockProvided ? DatasetViews.MockRoute(record.Id) : null));
    }

    /// <summary>One dataset's metadata; a pending one is visible to the owner and admins only.</summary>
    internal static async Task<IResult> GetAsync(string id, ClaimsPrincipal principal, NodeDbContext db, AuditLog audit,
        CancellationToken cancellationToken)
    {
        var privileged = Caller.IsOwnerOrAdmin(principal);
        var record = await FindAsync(db, id, privileged, tracking: false, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Problems.NotFound("dataset");
        }

        audit.Add(Caller.Id(principal), "dataset.get", record.Id);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Results.Ok(await DatasetViews.ToInfoAsync(db, record, privileged, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Streams the mock twin of a ready dataset.</summary>
    internal static async Task<IResult> DownloadMockAsync(string id, ClaimsPrincipal principal, NodeDbContext db, AuditLog audit,
        IOptions<NodeOptions> options, CancellationToken cancellationToken)
    {
        var record = await FindAsync(db, id, includePending: false, tracking: false, cancellationToken).ConfigureAwait(false);
        var path = record?.MockSha256 is { } sha ? new DatasetBlobStore(options.Value.DataDirectory).PathOf(sha) : null;
        if (record is null || path is null || !File.Exists(path))
        {
            return Problems.NotFound("dataset");
        }

        audit.Add(Caller.Id(principal), "dataset.mock-download", record.Id);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var (extension, mediaType) = DatasetViews.FileKind(record.Format);
        return TypedResults.PhysicalFile(path, mediaType, record.Id + ".mock" + extension);
    }

    /// <summary>Removes the dataset, its tags and access rules, then any blob no other dataset references.</summary>
    internal static async Task<IResult> DeleteAsync(string id, ClaimsPrincipal principal, NodeDbContext db, AuditLog audit,
        IOptions<NodeOptions> options, CancellationToken cancellationToken)
    {
        var record = await FindAsync(db, id, includePending: true, tracking: true, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Problems.NotFound("dataset");
        }

        db.Remove(record);
        db.RemoveRange(await db.Set<DatasetTagRecord>().Where(t => t.DatasetId == record.Id).ToListAsync(cancellationToken).ConfigureAwait(false));
        db.RemoveRange(await db.Set<DatasetReaderRecord>().Where(r => r.DatasetId == record.Id).ToListAsync(cancellationToken).ConfigureAwait(false));

        // Objects computed from the dataset go with it (ids are 32 hex characters, so a substring match is exact), and so do
        // the requests for them: deleting data must not leave its derivatives readable.
        var derived = await db.Objects.Where(o => o.DatasetIds.Contains(record.Id)).ToListAsync(cancellationToken).ConfigureAwait(false);
        var derivedIds = derived.Select(o => o.Id).ToList();
        db.RemoveRange(derived);
        db.RemoveRange(await db.AccessRequests.Where(r => derivedIds.Contains(r.ObjectId)).ToListAsync(cancellationToken).ConfigureAwait(false));
        audit.Add(Caller.Id(principal), "dataset.delete", record.Id);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        var store = new DatasetBlobStore(options.Value.DataDirectory);
        foreach (var sha in new[] { record.ContentSha256, record.MockSha256 }.OfType<string>().Concat(derived.Select(o => o.BlobSha256)).Distinct())
        {
            // Blobs are content-addressed, so an object's values could share bytes with a dataset's file: check both.
            var referenced = await db.Set<DatasetRecord>().AnyAsync(d => d.ContentSha256 == sha || d.MockSha256 == sha, cancellationToken)
                .ConfigureAwait(false)
                || await db.Objects.AnyAsync(o => o.BlobSha256 == sha, cancellationToken).ConfigureAwait(false);
            if (!referenced)
            {
                store.Delete(sha);
            }
        }

        return Results.NoContent();
    }

    /// <summary>The dataset with <paramref name="id"/>; a malformed id answers like a missing one, without a query.</summary>
    internal static async Task<DatasetRecord?> FindAsync(NodeDbContext db, string id, bool includePending, bool tracking,
        CancellationToken cancellationToken)
    {
        if (!Ids.LooksLikeId(id))
        {
            return null;
        }

        var set = tracking ? db.Set<DatasetRecord>() : db.Set<DatasetRecord>().AsNoTracking();
        var record = await set.SingleOrDefaultAsync(d => d.Id == id, cancellationToken).ConfigureAwait(false);
        return record is null || (!includePending && record.Status != DatasetStatus.Ready) ? null : record;
    }
}
