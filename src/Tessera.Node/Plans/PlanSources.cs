using Tessera.Node.Datasets;
using Tessera.Node.Objects;

namespace Tessera.Node.Plans;

/// <summary>The datasets and objects a plan may read, already filtered to what the caller may use.</summary>
internal sealed record PlanSources(IReadOnlyDictionary<string, DatasetRecord> Datasets, IReadOnlyDictionary<string, ObjectRecord> Objects);
