using System.Text.Json.Nodes;

namespace Tessera.NN;

/// <summary>Normalises over the trailing dimensions given by the normalised shape, with a learned scale and shift.</summary>
public sealed class LayerNorm : Module
{
    private readonly int[] _normalizedShape;

    /// <summary>Creates the layer.</summary>
    /// <param name="normalizedShape">The trailing shape to normalise over; each size positive.</param>
    /// <param name="eps">Added to the variance; positive.</param>
    /// <param name="elementwiseAffine">Whether to learn a scale and shift.</param>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0 || normalizedShape.Any(s => s <= 0))
        {
            throw new ArgumentException($"LayerNorm needs a non-empty shape of positive sizes, got {ShapeHelpers.Format(normalizedShape)}.", nameof(normalizedShape));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eps);
        _normalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(normalizedShape));
            Bias = RegisterParameter("bias", Tensor.Zeros(normalizedShape));
        }
    }

    /// <summary>Creates the layer over the last dimension.</summary>
    /// <param name="features">The size of the last dimension.</param>
    public LayerNorm(int features)
        : this([features])
    {
    }

    /// <summary>Added to the variance.</summary>
    public double Eps { get; }

    /// <summary>The scale, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>The shift, or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var k = _normalizedShape.Length;
        if (input.Rank < k || !input.Shape[^k..].SequenceEqual(_normalizedShape))
        {
            throw new ArgumentException(
                $"LayerNorm{ShapeHelpers.Format(_normalizedShape)} expects trailing dimensions {ShapeHelpers.Format(_normalizedShape)}, got {ShapeHelpers.Format(input.Shape)}.",
                nameof(input));
        }

        var dims = Enumerable.Range(input.Rank - k, k).ToArray();
        var mean = input.Mean(dims, keepDim: true);
        var centered = input.Sub(mean);
        var variance = centered.Mul(centered).Mean(dims, keepDim: true);
        var y = centered.Div(variance.Add(Eps).Sqrt());
        return Weight is null || Bias is null ? y : y.Mul(Weight).Add(Bias);
    }

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("LayerNorm", new JsonObject
    {
        ["normalizedShape"] = new JsonArray([.. _normalizedShape.Select(s => (JsonNode)s)]),
        ["eps"] = Eps,
        ["elementwiseAffine"] = Weight is not null,
    });
}
