using System.Collections.Frozen;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Contracts;
using Tessera.Node.Budgets;
using Tessera.Node.Datasets;
using Tessera.Node.Hosting;
using Tessera.Node.Plans;
using Tessera.Node.Security;
using Tessera.Node.Storage;
using Tessera.Privacy.Aggregates;

namespace Tessera.Node.Apis;

/// <summary>
/// Differentially private releases: an aggregate of one column, with noise scaled to the column's declared bounds, released
/// at once to the caller and charged to her budget on that dataset in the same transaction that records it.
/// </summary>
internal static class ReleasesApi
{
    private static readonly FrozenSet<string> Aggregates = new[] { "count", "sum", "mean", "variance" }.ToFrozenSet();

    public static IEndpointRouteBuilder MapReleasesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(ApiRoutes.Releases, ReleaseAsync).RequireAuthorization();
        return app;
    }

    internal static async Task<IResult> ReleaseAsync(ReleaseRequest? request, ClaimsPrincipal principal, NodeDbContext db, AuditLog audit,
        TimeProvider time, IOptions<NodeOptions> options, DatasetFileCache files, CancellationToken cancellationToken)
    {
        if (Caller.Role(principal) == Role.Guest)
        {
            return Problems.Forbidden("Guests cannot spend privacy budget; ask the owner for the DataScientist role.");
        }

        if (request?.DatasetId is null || request.Column is null || request.Aggregate is null)
        {
            return Problems.Invalid("Send {\"datasetId\": ..., \"column\": ..., \"aggregate\": \"count|sum|mean|variance\", \"epsilon\": ..., \"delta\": 0}.");
        }

        var aggregate = request.Aggregate.ToLowerInvariant();
        if (!Aggregates.Contains(aggregate))
        {
            return Problems.Invalid($"'aggregate' must be one of {string.Join(", ", Aggregates.Order(StringComparer.Ordinal))}.");
        }

        if (!double.IsFinite(request.Epsilon) || request.Epsilon <= 0 || request.Epsilon > BudgetLedger.MaxEpsilon)
        {
            return Problems.Invalid($"'epsilon' must lie in (0, {BudgetLedger.MaxEpsilon}].");
        }

        if (!double.IsFinite(request.Delta) || request.Delta < 0 || request.Delta > BudgetLedger.MaxDelta)
        {
            return Problems.Invalid($"'delta' must be 0 (Laplace noise) or lie in (0, {BudgetLedger.MaxDelta}] (Gaussian noise).");
        }

        var dataset = await DatasetsApi.FindAsync(db, request.DatasetId, includePending: false, tracking: false, cancellationToken).ConfigureAwait(false);
        if (dataset is null)
        {
            return Problems.NotFound("dataset");
        }

        var column = DatasetViews.ReadSchema(dataset.SchemaJson).FirstOrDefault(c => c.Name == request.Column);
        if (dataset.Format != DatasetFormat.Csv || column is null)
        {
            return Problems.Invalid($"The dataset has no CSV column '{(request.Column.Length <= 40 ? request.Column : request.Column[..40] + "...")}'.");
        }

        // Read the values before taking the write lock; the charge and the record are one transaction.
        var blobs = new DatasetBlobStore(options.Value.DataDirectory);
        var values = await Task.Run(() => PlanRunner.Column(dataset, column.Name, files, blobs).ToArray<double>(), cancellationToken).ConfigureAwait(false);
        var caller = Caller.Id(principal);
        var (epsilon, delta) = (PrivacyUnits.EpsilonCharge(request.Epsilon), PrivacyUnits.DeltaCharge(request.Delta));
        var now = time.GetUtcNow();
        ReleaseRecord record;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await BudgetLedger.TryChargeAsync(db, caller, dataset.Id, epsilon, delta, now, cancellationToken).ConfigureAwait(false))
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                audit.Add(caller, "release." + aggregate, dataset.Id, AuditLog.Denied);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                var budget = await db.Budgets.AsNoTracking().SingleOrDefaultAsync(b => b.UserId == caller && b.DatasetId == dataset.Id, cancellationToken)
                    .ConfigureAwait(false);
                return Problems.Forbidden((budget is null
                        ? "You have no privacy budget on this dataset."
                        : $"This release needs epsilon {request.Epsilon:G6} and delta {request.Delta:G3}; your budget on this dataset has epsilon "
                          + $"{PrivacyUnits.Epsilon(budget.EpsilonTotal - budget.EpsilonSpent):G6} and delta {PrivacyUnits.Delta(budget.DeltaTotal - budget.DeltaSpent):G3} left.")
                    + $" Ask the owner for more with POST {ApiRoutes.Requests} {{\"datasetId\": \"{dataset.Id}\", \"epsilon\": ..., \"reason\": \"...\"}}.");
            }

            var value = Compute(aggregate, values, column.Min, column.Max, request.Epsilon, request.Delta);
            record = new ReleaseRecord
            {
                Id = Ids.NewId(),
                UserId = caller,
                DatasetId = dataset.Id,
                Column = column.Name,
                Aggregate = aggregate,
                Epsilon = epsilon,
                Delta = delta,
                Value = value,
                CreatedAt = now,
            };
            db.Releases.Add(record);
            audit.Add(caller, "release." + aggregate, record.Id);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        var left = await db.Budgets.AsNoTracking().SingleAsync(b => b.UserId == caller && b.DatasetId == dataset.Id, cancellationToken).ConfigureAwait(false);
        return Results.Ok(new ReleaseResponse(record.Id, dataset.Id, column.Name, aggregate, record.Value, PrivacyUnits.Epsilon(epsilon),
            PrivacyUnits.Delta(delta), PrivacyUnits.Epsilon(left.EpsilonTotal - left.EpsilonSpent), PrivacyUnits.Delta(left.DeltaTotal - left.DeltaSpent),
            request.Delta == 0 ? "discrete Laplace (exact sampler) on a power-of-two grid" : "discrete Gaussian (exact sampler, analytic sigma) on a power-of-two grid"));
    }

    private static double Compute(string aggregate, double[] values, double lower, double upper, double epsilon, double delta)
    {
        var release = aggregate switch
        {
            "count" => Convert(DpAggregates.Count(values, epsilon, delta)),
            "sum" => DpAggregates.Sum(values, lower, upper, epsilon, delta),
            "mean" => DpAggregates.Mean(values, lower, upper, epsilon, delta),
            _ => DpAggregates.Variance(values, lower, upper, epsilon, delta),
        };

        // The mechanisms report what they spent; it can never exceed what was charged.
        if (release.Spent.Epsilon > epsilon * (1 + 1e-12) || release.Spent.Delta > delta * (1 + 1e-12))
        {
            throw new InvalidOperationException($"The {aggregate} mechanism spent {release.Spent}, more than the charged epsilon {epsilon} and delta {delta}.");
        }

        return release.Value;
    }

    private static DpRelease<double> Convert(DpRelease<long> count) => new(count.Value, count.Spent);
}
