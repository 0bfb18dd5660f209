using System.Text.Json.Nodes;

namespace Tessera.NN;

/// <summary>A lookup table: Int64 indices [*] to rows of a learned [num, dim] weight, giving [*, dim].</summary>
public sealed class Embedding : Module
{
    /// <summary>Creates the table, initialised from N(0, 1) like PyTorch.</summary>
    /// <param name="numEmbeddings">Rows; positive.</param>
    /// <param name="embeddingDim">Columns; positive.</param>
    /// <param name="random">Initialisation randomness; a fresh OS-seeded source when null.</param>
    public Embedding(int numEmbeddings, int embeddingDim, IRandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numEmbeddings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embeddingDim);
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        Weight = RegisterParameter("weight", Tensor.Normal([numEmbeddings, embeddingDim], random ?? Init.DefaultRandom()));
    }

    /// <summary>Rows.</summary>
    public int NumEmbeddings { get; }

    /// <summary>Columns.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The table, [num, dim].</summary>
    public Tensor Weight { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.DType != DType.Int64)
        {
            throw new ArgumentException($"Embedding expects Int64 indices, got {input.DType} {ShapeHelpers.Format(input.Shape)}.", nameof(input));
        }

        var flat = input.Reshape(-1);
        var rows = Weight.IndexSelect(0, flat);
        return rows.Reshape([.. input.ShapeToArray(), EmbeddingDim]);
    }

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() =>
        new("Embedding", new JsonObject { ["numEmbeddings"] = NumEmbeddings, ["embeddingDim"] = EmbeddingDim });
}
