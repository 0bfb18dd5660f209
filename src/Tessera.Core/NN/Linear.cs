using System.Text.Json.Nodes;

namespace Tessera.NN;

/// <summary>y = x W^T + b, with W of shape [out, in]; PyTorch's default initialisation.</summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="inFeatures">Input features; positive.</param>
    /// <param name="outFeatures">Output features; positive.</param>
    /// <param name="bias">Whether to learn a bias.</param>
    /// <param name="random">Initialisation randomness; a fresh OS-seeded source when null.</param>
    public Linear(int inFeatures, int outFeatures, bool bias = true, IRandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        random ??= Init.DefaultRandom();
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Init.KaimingUniformDefault([outFeatures, inFeatures], inFeatures, random));
        if (bias)
        {
            Bias = RegisterParameter("bias", Init.Uniform([outFeatures], 1.0 / Math.Sqrt(inFeatures), random));
        }
    }

    /// <summary>Input features.</summary>
    public int InFeatures { get; }

    /// <summary>Output features.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight, [out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, [out], or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Size(-1) != InFeatures)
        {
            throw new ArgumentException(
                $"Linear({InFeatures}, {OutFeatures}) expects [..., {InFeatures}], got {ShapeHelpers.Format(input.Shape)}.", nameof(input));
        }

        var y = input.MatMul(Weight.T);
        return Bias is null ? y : y.Add(Bias);
    }

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() =>
        new("Linear", new JsonObject { ["inFeatures"] = InFeatures, ["outFeatures"] = OutFeatures, ["bias"] = Bias is not null });
}
