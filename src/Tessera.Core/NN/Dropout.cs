using System.Text.Json.Nodes;

namespace Tessera.NN;

/// <summary>Zeroes each element with probability p during training and scales the rest by 1/(1-p); identity in evaluation.</summary>
public sealed class Dropout : Module
{
    private readonly IRandomSource _random;

    /// <summary>Creates the layer.</summary>
    /// <param name="p">The drop probability, in [0, 1).</param>
    /// <param name="random">The random source for masks; a fresh OS-seeded source when null.</param>
    public Dropout(double p = 0.5, IRandomSource? random = null)
    {
        if (!(p >= 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1).");
        }

        P = p;
        _random = random ?? Init.DefaultRandom();
    }

    /// <summary>The drop probability.</summary>
    public double P { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsTraining || P == 0)
        {
            return input;
        }

        var keep = Tensor.Uniform(input.Shape, _random, dtype: input.DType).Ge(P);
        var scale = Tensor.Where(keep, input.ScalarLike(1 / (1 - P)).Expand(input.ShapeToArray()), input.ScalarLike(0).Expand(input.ShapeToArray()));
        return input.Mul(scale);
    }

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("Dropout", new JsonObject { ["p"] = P });
}
