using System.Text.Json.Nodes;

namespace Tessera.NN;

/// <summary>Softmax along a dimension.</summary>
/// <param name="dim">The dimension.</param>
public sealed class Softmax(int dim = -1) : Module
{
    /// <summary>The dimension.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Softmax(Dim);

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("Softmax", new JsonObject { ["dim"] = Dim });
}
