namespace Tessera.Node.Plans;

/// <summary>A validated plan step with its inferred dtype and shape (an upper bound for <c>filter</c>'s rows).</summary>
internal sealed record PlanNode(Contracts.PlanStep Step, int[] Inputs, bool IsBool, int[] Shape, IReadOnlySet<string> DatasetIds)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);
}
