using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Contracts;
using Tessera.Node.Datasets;
using Tessera.Node.Hosting;
using Tessera.Node.Storage;

namespace Tessera.Node.Apis;

/// <summary>
/// The PUT half of publishing: the raw body streams to a temporary file (never buffered whole, cut off past
/// <see cref="NodeOptions.MaxUploadBytes"/>), is validated against the schema, moves into the content-addressed blob store,
/// and only then does one transaction point the row at it (and flip it to Ready when the mock is there too). A
/// <c>Request-Id</c> header makes the PUT idempotent: a repeat of the request that applied answers like it did; a different
/// one after the file is stored is a conflict.
/// </summary>
internal static class DatasetUploads
{
    private enum Part
    {
        Content,
        Mock,
    }

    internal static Task<IResult> PutContentAsync(string id, HttpContext context, ClaimsPrincipal principal, NodeDbContext db, AuditLog audit,
        IOptions<NodeOptions> options, CancellationToken cancellationToken) =>
        PutAsync(Part.Content, id, context, principal, db, audit, options.Value, cancellationToken);

    internal static Task<IResult> PutMockAsync(string id, HttpContext context, ClaimsPrincipal principal, NodeDbContext db, AuditLog audit,
        IOptions<NodeOptions> options, CancellationToken cancellationToken) =>
        PutAsync(Part.Mock, id, context, principal, db, audit, options.Value, cancellationToken);

    private static async Task<IResult> PutAsync(Part part, string id, HttpContext context, ClaimsPrincipal principal, NodeDbContext db,
        AuditLog audit, NodeOptions options, CancellationToken cancellationToken)
    {
        var record = await DatasetsApi.FindAsync(db, id, includePending: true, tracking: true, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Problems.NotFound("dataset");
        }

        var requestId = context.Request.Headers[ApiRoutes.RequestIdHeader].ToString();
        if (!DatasetRules.IsRequestId(requestId))
        {
            return Problems.Invalid($"Send a {ApiRoutes.RequestIdHeader} header of 1 to {DatasetRules.MaxRequestIdLength} characters "
                + "(letters, digits, '-', '_', '.', ':'); a retry sends the same value.");
        }

        if (Refusal(part, record, requestId) is { } refusal)
        {
            return refusal;
        }

        if (part == Part.Content ? record.ContentRequestId == requestId : record.MockRequestId == requestId)
        {
            return Results.Ok(await DatasetViews.ToInfoAsync(db, record, withReaders: true, cancellationToken).ConfigureAwait(false));
        }

        var caller = Caller.Id(principal);
        var action = part == Part.Content ? "dataset.upload" : "dataset.upload-mock";
        var limit = options.MaxUploadBytes;
        if (context.Request.ContentLength > limit)
        {
            return await TooLargeAsync(db, audit, caller, action, record.Id, limit, cancellationToken).ConfigureAwait(false);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        var store = new DatasetBlobStore(options.DataDirectory);
        StagedBlob? content = null;
        StagedBlob? mock = null;
        try
        {
            var received = await store.ReceiveAsync(context.Request.Body, limit, cancellationToken).ConfigureAwait(false);
            if (part == Part.Content)
            {
                content = received;
            }
            else
            {
                mock = received;
            }

            var (extension, _) = DatasetViews.FileKind(record.Format);
            var columns = DatasetViews.ReadSchema(record.SchemaJson);
            var sourceName = (part == Part.Content ? "content" : "mock") + extension;
            if (record.Format == DatasetFormat.Csv)
            {
                var rows = DatasetValidator.ValidateCsv(received.TemporaryPath, sourceName, columns);
                if (part == Part.Content)
                {
                    record.Rows = rows;
                }
            }
            else
            {
                columns = DatasetValidator.ValidateSafeTensors(received.TemporaryPath, sourceName, columns);
                record.SchemaJson = DatasetViews.WriteSchema(columns);
            }

            if (part == Part.Content && !record.MockProvided)
            {
                mock = Synthesise(store, record, columns);
            }

            foreach (var staged in new[] { content, mock }.OfType<StagedBlob>())
            {
                store.Promote(staged);
            }

            if (content is not null)
            {
                (record.ContentSha256, record.ContentRequestId, record.ContentBytes) = (content.Sha256, requestId, content.Length);
            }

            if (mock is not null)
            {
                record.MockSha256 = mock.Sha256;
                record.MockRequestId = part == Part.Mock ? requestId : null;
            }

            record.Status = record.ContentSha256 is not null && record.MockSha256 is not null ? DatasetStatus.Ready : DatasetStatus.Pending;
            record.Revision++;
            audit.Add(caller, action, record.Id);
            if (record.Status == DatasetStatus.Ready)
            {
                audit.Add(caller, "dataset.ready", record.Id);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another upload for this dataset committed first: answer as a retry of it, or as a conflict.
                db.ChangeTracker.Clear();
                return await AfterRaceAsync(part, id, requestId, db, cancellationToken).ConfigureAwait(false);
            }

            // A concurrent delete of another dataset may have removed a shared blob between the promotion and the commit.
            foreach (var staged in new[] { content, mock }.OfType<StagedBlob>())
            {
                store.Promote(staged);
            }

            return Results.Ok(await DatasetViews.ToInfoAsync(db, record, withReaders: true, cancellationToken).ConfigureAwait(false));
        }
        catch (UploadTooLargeException)
        {
            db.ChangeTracker.Clear();
            return await TooLargeAsync(db, audit, caller, action, record.Id, limit, CancellationToken.None).ConfigureAwait(false);
        }
        catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            db.ChangeTracker.Clear();
            return await TooLargeAsync(db, audit, caller, action, record.Id, limit, CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidDataException invalid)
        {
            // The message names the problem (line, column, tensor, bounds); it goes to the publisher only, never to the audit log.
            db.ChangeTracker.Clear();
            audit.Add(caller, action, record.Id, AuditLog.Denied);
            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
            return Problems.Invalid(invalid.Message);
        }
        finally
        {
            DatasetBlobStore.Discard(content);
            DatasetBlobStore.Discard(mock);
        }
    }

    private static IResult? Refusal(Part part, DatasetRecord record, string requestId)
    {
        if (part == Part.Content)
        {
            return record.ContentSha256 is not null && record.ContentRequestId != requestId
                ? Problems.Conflict("This dataset's content is stored already; a dataset's content cannot be replaced (delete and publish anew).")
                : null;
        }

        if (!record.MockProvided)
        {
            return Problems.Conflict("This dataset's mock twin is synthesised by the node; it was created without mockProvided.");
        }

        if (record.ContentSha256 is null)
        {
            return Problems.Conflict("Upload the content first: the mock twin is checked against the content's shapes.");
        }

        return record.MockSha256 is not null && record.MockRequestId != requestId
            ? Problems.Conflict("This dataset's mock twin is stored already; it cannot be replaced (delete and publish anew).")
            : null;
    }

    private static StagedBlob Synthesise(DatasetBlobStore store, DatasetRecord record, IReadOnlyList<DatasetColumn> columns)
    {
        var path = store.NewTemporaryPath();
        try
        {
            if (record.Format == DatasetFormat.Csv)
            {
                DatasetMockWriter.WriteCsv(path, columns, record.Rows ?? 0, new BufferedRandomSource(CryptoRandomSource.Instance));
            }
            else
            {
                DatasetMockWriter.WriteSafeTensors(path, columns, new BufferedRandomSource(CryptoRandomSource.Instance));
            }

            return DatasetBlobStore.Stage(path);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private static async Task<IResult> AfterRaceAsync(Part part, string id, string requestId, NodeDbContext db, CancellationToken cancellationToken)
    {
        var now = await DatasetsApi.FindAsync(db, id, includePending: true, tracking: false, cancellationToken).ConfigureAwait(false);
        if (now is null)
        {
            return Problems.NotFound("dataset");
        }

        var applied = part == Part.Content ? now.ContentRequestId == requestId : now.MockRequestId == requestId;
        return applied
            ? Results.Ok(await DatasetViews.ToInfoAsync(db, now, withReaders: true, cancellationToken).ConfigureAwait(false))
            : Problems.Conflict("Another upload for this dataset was stored first.");
    }

    private static async Task<IResult> TooLargeAsync(NodeDbContext db, AuditLog audit, string caller, string action, string datasetId, long limit,
        CancellationToken cancellationToken)
    {
        audit.Add(caller, action, datasetId, AuditLog.Denied);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Problems.Create(StatusCodes.Status413PayloadTooLarge, ProblemTypes.TooLarge, "Upload too large",
            $"The upload is larger than this node accepts ({limit} bytes; setting Tessera:Node:MaxUploadBytes). Nothing was stored.");
    }
}
