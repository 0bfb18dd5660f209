namespace Tessera.NN;

/// <summary>Batch normalisation of [N, C, H, W] inputs.</summary>
/// <param name="numFeatures">Channels; positive.</param>
/// <param name="eps">Added to the variance.</param>
/// <param name="momentum">Running-estimate momentum.</param>
/// <param name="affine">Whether to learn a scale and shift.</param>
public sealed class BatchNorm2d(int numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true)
    : BatchNorm(numFeatures, eps, momentum, affine)
{
    /// <inheritdoc/>
    protected override int[] AcceptedRanks => [4];
}
