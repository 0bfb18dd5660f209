using System.Text.Json.Nodes;

namespace Tessera.NN;

/// <summary>x for x &gt; 0, slope * x otherwise.</summary>
/// <param name="negativeSlope">The slope for negative inputs.</param>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module
{
    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; } = double.IsFinite(negativeSlope) ? negativeSlope
        : throw new ArgumentOutOfRangeException(nameof(negativeSlope), "The slope must be finite.");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("LeakyReLU", new JsonObject { ["negativeSlope"] = NegativeSlope });
}
