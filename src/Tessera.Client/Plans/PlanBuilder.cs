using System.Globalization;
using Tessera.Contracts;

namespace Tessera.Client.Plans;

/// <summary>
/// Turns pointer expressions into one <see cref="PlanRequest"/>: each distinct pointer becomes one step (a pointer used twice
/// is computed once), pointers whose object already exists become <c>object</c> steps, and inputs precede their users.
/// </summary>
internal static class PlanBuilder
{
    public static PlanRequest Build(IReadOnlyList<RemotePointer> outputs)
    {
        var ids = new Dictionary<RemotePointer, string>(ReferenceEqualityComparer.Instance);
        var steps = new List<PlanStep>();
        var names = outputs.Select(o => Visit(o, ids, steps)).ToList();
        return new PlanRequest(steps, names);
    }

    private static string Visit(RemotePointer pointer, Dictionary<RemotePointer, string> ids, List<PlanStep> steps)
    {
        if (ids.TryGetValue(pointer, out var known))
        {
            return known;
        }

        PlanStep step;
        if (pointer.ObjectId is { } objectId)
        {
            step = new PlanStep(NextId(steps), "object", Object: objectId);
        }
        else
        {
            var inputs = pointer.Inputs.Select(i => Visit(i, ids, steps)).ToList();
            step = new PlanStep(NextId(steps), pointer.Op, inputs.Count == 0 ? null : inputs, pointer.DatasetId, pointer.ColumnName, null, pointer.Scalar,
                pointer.Dims, pointer.KeepDim, pointer.Start, pointer.Length);
        }

        steps.Add(step);
        ids[pointer] = step.Id;
        return step.Id;
    }

    private static string NextId(List<PlanStep> steps) => "s" + steps.Count.ToString(CultureInfo.InvariantCulture);
}
