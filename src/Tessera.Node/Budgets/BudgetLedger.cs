using Microsoft.EntityFrameworkCore;
using Tessera.Node.Storage;

namespace Tessera.Node.Budgets;

/// <summary>
/// Budget arithmetic in the database. A charge is one conditional UPDATE (spent + cost &lt;= total), which the database
/// applies atomically: concurrent releases can never overspend, on SQLite (one writer at a time) or PostgreSQL (the row lock
/// re-checks the condition). Call it inside the transaction that records the release.
/// </summary>
internal static class BudgetLedger
{
    /// <summary>The most epsilon one release or one budget request may name.</summary>
    public const double MaxEpsilon = 10;

    /// <summary>The most epsilon a budget may hold in all.</summary>
    public const double MaxTotalEpsilon = 1000;

    /// <summary>The most delta a release or budget may name (larger deltas are not privacy).</summary>
    public const double MaxDelta = 1e-3;

    public static async Task<bool> TryChargeAsync(NodeDbContext db, string userId, string datasetId, long epsilon, long delta, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var rows = await db.Budgets
            .Where(b => b.UserId == userId && b.DatasetId == datasetId && b.EpsilonSpent + epsilon <= b.EpsilonTotal && b.DeltaSpent + delta <= b.DeltaTotal)
            .ExecuteUpdateAsync(s => s
                .SetProperty(b => b.EpsilonSpent, b => b.EpsilonSpent + epsilon)
                .SetProperty(b => b.DeltaSpent, b => b.DeltaSpent + delta)
                .SetProperty(b => b.Releases, b => b.Releases + 1)
                .SetProperty(b => b.UpdatedAt, at), cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }

    /// <summary>Adds to a budget's totals (creating it when missing).</summary>
    public static async Task AddAsync(NodeDbContext db, string userId, string datasetId, long epsilon, long delta, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var cap = PrivacyUnits.EpsilonTotal(MaxTotalEpsilon);
        var rows = await db.Budgets.Where(b => b.UserId == userId && b.DatasetId == datasetId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(b => b.EpsilonTotal, b => b.EpsilonTotal + epsilon > cap ? cap : b.EpsilonTotal + epsilon)
                .SetProperty(b => b.DeltaTotal, b => b.DeltaTotal + delta)
                .SetProperty(b => b.UpdatedAt, at), cancellationToken).ConfigureAwait(false);
        if (rows == 0)
        {
            db.Budgets.Add(new BudgetRecord { UserId = userId, DatasetId = datasetId, EpsilonTotal = Math.Min(epsilon, cap), DeltaTotal = delta, UpdatedAt = at });
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sets a budget's totals (creating it when missing); what was spent stays spent.</summary>
    public static async Task<BudgetRecord> SetAsync(NodeDbContext db, string userId, string datasetId, long epsilon, long delta, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var rows = await db.Budgets.Where(b => b.UserId == userId && b.DatasetId == datasetId)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.EpsilonTotal, epsilon).SetProperty(b => b.DeltaTotal, delta).SetProperty(b => b.UpdatedAt, at),
                cancellationToken).ConfigureAwait(false);
        if (rows == 0)
        {
            db.Budgets.Add(new BudgetRecord { UserId = userId, DatasetId = datasetId, EpsilonTotal = epsilon, DeltaTotal = delta, UpdatedAt = at });
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return await db.Budgets.AsNoTracking().SingleAsync(b => b.UserId == userId && b.DatasetId == datasetId, cancellationToken).ConfigureAwait(false);
    }

    public static Contracts.BudgetInfo ToInfo(BudgetRecord b) =>
        new(b.UserId, b.DatasetId, PrivacyUnits.Epsilon(b.EpsilonTotal), PrivacyUnits.Epsilon(b.EpsilonSpent), PrivacyUnits.Delta(b.DeltaTotal),
            PrivacyUnits.Delta(b.DeltaSpent), b.Releases, b.UpdatedAt);
}
