namespace Tessera.Node.Plans;

/// <summary>A validated plan step with its inferred dtype and shape.</summary>
/// <param name="Step">The step as sent.</param>
/// <param name="Inputs">The indices of the steps it reads.</param>
/// <param name="IsBool">Whether it holds Bool values (else Float64).</param>
/// <param name="Shape">The shape; when <paramref name="RowsHidden"/>, the first size is an upper bound.</param>
/// <param name="DatasetIds">The datasets its values derive from.</param>
/// <param name="RowsHidden">Whether its first dimension counts rows that passed a filter: data-dependent and private.</param>
internal sealed record PlanNode(Contracts.PlanStep Step, int[] Inputs, bool IsBool, int[] Shape, IReadOnlySet<string> DatasetIds, bool RowsHidden = false)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);
}
