namespace Tessera.Node.Budgets;

/// <summary>
/// A data scientist's privacy budget on one dataset. Amounts are integers (epsilon in units of 1e-9, delta in units of
/// 1e-15) so that sums are exact and a charge is one atomic conditional UPDATE; charges round up, totals round down.
/// </summary>
internal sealed class BudgetRecord
{
    public required string UserId { get; set; }

    public required string DatasetId { get; set; }

    public long EpsilonTotal { get; set; }

    public long EpsilonSpent { get; set; }

    public long DeltaTotal { get; set; }

    public long DeltaSpent { get; set; }

    public int Releases { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
