using Tessera.Mpc.Providers;
using Tessera.Mpc.Tensors;

namespace Tessera.Mpc;

/// <summary>
/// The dealer's side of <see cref="EncryptedTensor"/>'s products: each method serves, in order, exactly the requests the
/// parties' call makes (comparisons and ReLU: <see cref="ComparisonDealing"/>), so a dealer script reads like the
/// parties' program.
/// </summary>
public static class EncryptedTensorDealing
{
    /// <summary>Serves <c>MulAsync</c> of two encrypted tensors of <paramref name="count"/> elements at the session's scale.</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="count">Elements.</param>
    /// <param name="fractionalBits">The session's fractional bits.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public static async ValueTask ServeMulAsync(
        this ICorrelationServer dealer, int count, int fractionalBits = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        await dealer.ServeTripleAsync(TripleRequest.Elementwise(count), cancellationToken).ConfigureAwait(false);
        await dealer.ServeTruncationPairAsync(count, fractionalBits, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves <c>MatMulAsync</c> of encrypted m x k and k x n matrices at the session's scale.</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="m">Rows of the left operand.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="n">Columns of the right operand.</param>
    /// <param name="fractionalBits">The session's fractional bits.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public static async ValueTask ServeMatMulAsync(
        this ICorrelationServer dealer, int m, int k, int n, int fractionalBits = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        await dealer.ServeTripleAsync(TripleRequest.MatMul(m, k, n), cancellationToken).ConfigureAwait(false);
        await dealer.ServeTruncationPairAsync(m * n, fractionalBits, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves <c>MulAsync</c>/<c>MatMulAsync</c> with a public operand: <paramref name="count"/> output elements' truncation.</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="count">Output elements.</param>
    /// <param name="fractionalBits">The session's fractional bits.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public static ValueTask ServePublicProductAsync(
        this ICorrelationServer dealer, int count, int fractionalBits = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        return dealer.ServeTruncationPairAsync(count, fractionalBits, cancellationToken);
    }

    /// <summary>Serves <c>EncryptedTensor.Conv2dAsync</c> of input <paramref name="inputShape"/> and weight <paramref name="weightShape"/>.</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="inputShape">[N, C, H, W].</param>
    /// <param name="weightShape">[O, C, kh, kw].</param>
    /// <param name="stride">The stride.</param>
    /// <param name="padding">The padding.</param>
    /// <param name="fractionalBits">The session's fractional bits.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public static async ValueTask ServeConv2dAsync(
        this ICorrelationServer dealer, int[] inputShape, int[] weightShape, int stride = 1, int padding = 0,
        int fractionalBits = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        var request = TripleRequest.Conv2d(inputShape, weightShape, stride, padding);
        await dealer.ServeTripleAsync(request, cancellationToken).ConfigureAwait(false);
        await dealer.ServeTruncationPairAsync(request.CountC, fractionalBits, cancellationToken).ConfigureAwait(false);
    }
}
