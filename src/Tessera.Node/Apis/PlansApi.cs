using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Contracts;
using Tessera.Node.Datasets;
using Tessera.Node.Hosting;
using Tessera.Node.Objects;
using Tessera.Node.Plans;
using Tessera.Node.Security;
using Tessera.Node.Storage;

namespace Tessera.Node.Apis;

/// <summary>Runs plans: the results become new private objects, described to the caller and never shown.</summary>
internal static class PlansApi
{
    public static IEndpointRouteBuilder MapPlansApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(ApiRoutes.Plans, RunAsync).RequireAuthorization();
        return app;
    }

    internal static async Task<IResult> RunAsync(PlanRequest? plan, ClaimsPrincipal principal, NodeDbContext db, AuditLog audit,
        TimeProvider time, IOptions<NodeOptions> options, DatasetFileCache files, CancellationToken cancellationToken)
    {
        var caller = Caller.Id(principal);
        if (Caller.Role(principal) == Role.Guest)
        {
            return Problems.Forbidden("Guests can read metadata and mock data only; ask the owner for the DataScientist role to run plans.");
        }

        if (plan?.Steps is null || plan.Outputs is null)
        {
            return Problems.Invalid("Send {\"steps\": [...], \"outputs\": [...]}.");
        }

        if (plan.Steps.Count > PlanLimits.MaxSteps)
        {
            return Problems.Invalid($"A plan has at most {PlanLimits.MaxSteps} steps.");
        }

        var (datasetIds, objectIds) = PlanCompiler.References(plan);
        var datasetKeys = datasetIds.Where(Ids.LooksLikeId).ToList();
        var datasets = await db.Set<DatasetRecord>().AsNoTracking()
            .Where(d => datasetKeys.Contains(d.Id) && d.Status == DatasetStatus.Ready).ToDictionaryAsync(d => d.Id, StringComparer.Ordinal, cancellationToken)
            .ConfigureAwait(false);
        var objects = new Dictionary<string, ObjectRecord>(StringComparer.Ordinal);
        foreach (var id in objectIds)
        {
            if (await ObjectAccess.FindVisibleAsync(db, id, principal, cancellationToken).ConfigureAwait(false) is { } visible)
            {
                objects[id] = visible;
            }
        }

        var sources = new PlanSources(datasets, objects);
        var (nodes, outputs, problem) = PlanCompiler.Compile(plan, sources);
        if (problem is not null)
        {
            audit.Add(caller, "plan.run", null, AuditLog.Denied);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Problems.Invalid(problem);
        }

        var blobs = new DatasetBlobStore(options.Value.DataDirectory);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(PlanLimits.MaxRunTime);
        var results = await Task.Run(() => PlanRunner.Run(nodes!, outputs!, sources, blobs, files, limit.Token), limit.Token).ConfigureAwait(false);

        var staged = new List<StagedBlob>();
        var infos = new List<ObjectInfo>();
        try
        {
            for (var o = 0; o < results.Length; o++)
            {
                var value = results[o].DType == DType.Bool ? results[o] : results[o].To(DType.Float64);
                var compiled = nodes![outputs![o]];
                if (!compiled.RowsHidden && !compiled.Shape.AsSpan().SequenceEqual(value.Shape))
                {
                    throw new InvalidOperationException($"Plan step '{compiled.Step.Id}' ran to another shape than the compiler inferred.");
                }

                var blob = ObjectStore.Stage(blobs, value);
                staged.Add(blob);
                blobs.Promote(blob);
                var record = new ObjectRecord
                {
                    Id = Ids.NewId(),
                    DType = value.DType.ToString(),
                    // The compiled shape, not the value's: a filter's real row count stays private until approved.
                    Shape = ObjectShapes.Write(compiled.Shape, compiled.RowsHidden),
                    DatasetIds = string.Join(',', compiled.DatasetIds.Order(StringComparer.Ordinal)),
                    BlobSha256 = blob.Sha256,
                    CreatedBy = caller,
                    CreatedAt = time.GetUtcNow(),
                };
                db.Objects.Add(record);
                audit.Add(caller, "plan.run", record.Id);
                infos.Add(ObjectAccess.ToInfo(record));
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var blob in staged)
            {
                DatasetBlobStore.Discard(blob);
            }
        }

        return Results.Ok(new PlanResponse(infos));
    }
}
