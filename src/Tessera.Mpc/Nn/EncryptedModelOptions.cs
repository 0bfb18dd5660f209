using Tessera.Mpc.Protocols;

namespace Tessera.Mpc.Nn;

/// <summary>How <see cref="EncryptedModel.EncryptAsync(MpcSession, int, Tessera.NN.Module?, EncryptedModelOptions, CancellationToken)"/> lays out a model.</summary>
public sealed record EncryptedModelOptions
{
    /// <summary>
    /// Fold eval-mode batch norm into the Linear or Conv2d before it (default): the cheapest inference (no product, no
    /// inverse square root), but the model cannot train or reveal its batch norm layers. False keeps each batch norm as an
    /// <see cref="EncryptedBatchNorm"/>, which trains with batch statistics and reveals its weights and running estimates.
    /// The owner's choice applies on every party (it travels with the architecture).
    /// </summary>
    public bool FoldBatchNorm { get; init; } = true;

    /// <summary>The inverse square root of an unfolded batch norm (default 6 Newton steps: relative error about 5e-4 for var + eps in [0.1, 100]).</summary>
    public InverseSqrtOptions BatchNormInverseSqrt { get; init; } = new() { Iterations = 6 };
}
