using System.Text.Json.Nodes;

namespace Tessera.NN;

/// <summary>Flattens dimensions startDim..endDim (by default all but the batch dimension).</summary>
/// <param name="startDim">The first dimension to flatten.</param>
/// <param name="endDim">The last dimension to flatten.</param>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module
{
    /// <summary>The first dimension to flatten.</summary>
    public int StartDim { get; } = startDim;

    /// <summary>The last dimension to flatten.</summary>
    public int EndDim { get; } = endDim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("Flatten", new JsonObject { ["startDim"] = StartDim, ["endDim"] = EndDim });
}
