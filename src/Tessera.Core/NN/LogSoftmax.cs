using System.Text.Json.Nodes;

namespace Tessera.NN;

/// <summary>Log-softmax along a dimension.</summary>
/// <param name="dim">The dimension.</param>
public sealed class LogSoftmax(int dim = -1) : Module
{
    /// <summary>The dimension.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LogSoftmax(Dim);

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("LogSoftmax", new JsonObject { ["dim"] = Dim });
}
