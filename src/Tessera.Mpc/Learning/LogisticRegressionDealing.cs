using Tessera.Mpc.Providers;

namespace Tessera.Mpc.Learning;

/// <summary>
/// The dealer's side of <see cref="EncryptedLogisticRegression"/>: each method serves, in order, exactly the requests the
/// parties' call makes, from public shapes and the same options.
/// </summary>
public static class LogisticRegressionDealing
{
    /// <summary>Serves one <c>StepAsync</c> on a batch of <paramref name="batch"/> rows of <paramref name="features"/>
    /// features: matmul (B, d + 1, 1), sigmoid of B, matmul (d + 1, B, 1), truncation of d + 1 by 24 bits.</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="batch">Rows in the batch.</param>
    /// <param name="features">Features per row, d.</param>
    /// <param name="options">The parties' options (null for the defaults).</param>
    /// <param name="fractionalBits">The session's fractional bits.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public static async ValueTask ServeLogisticRegressionStepAsync(
        this ICorrelationServer dealer, int batch, int features, LogisticRegressionOptions? options = null, int fractionalBits = 16,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        options ??= new LogisticRegressionOptions();
        options.Validate(fractionalBits);
        var width = features + 1;
        await dealer.ServeMatMulAsync(batch, width, 1, fractionalBits, cancellationToken).ConfigureAwait(false);
        await dealer.ServeSigmoidAsync(batch, fractionalBits, options.Sigmoid, cancellationToken).ConfigureAwait(false);
        await dealer.ServeMatMulAsync(width, batch, 1, fractionalBits, cancellationToken).ConfigureAwait(false);
        await dealer.ServeTruncationPairAsync(width, EncryptedLogisticRegression.UpdateBits, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves <paramref name="epochs"/> calls of <c>TrainEpochAsync</c> on <paramref name="rows"/> rows.</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="rows">Rows of the whole dataset, N.</param>
    /// <param name="features">Features per row, d.</param>
    /// <param name="epochs">Epochs.</param>
    /// <param name="options">The parties' options (null for the defaults).</param>
    /// <param name="fractionalBits">The session's fractional bits.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public static async ValueTask ServeLogisticRegressionAsync(
        this ICorrelationServer dealer, int rows, int features, int epochs, LogisticRegressionOptions? options = null,
        int fractionalBits = 16, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        options ??= new LogisticRegressionOptions();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            for (var start = 0; start < rows; start += options.BatchSize)
            {
                await dealer.ServeLogisticRegressionStepAsync(
                    Math.Min(options.BatchSize, rows - start), features, options, fractionalBits, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Serves one <c>PredictProbabilitiesAsync</c> on <paramref name="rows"/> rows: matmul (N, d + 1, 1) and a sigmoid of N.</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="rows">Rows, N.</param>
    /// <param name="features">Features per row, d.</param>
    /// <param name="options">The parties' options (null for the defaults).</param>
    /// <param name="fractionalBits">The session's fractional bits.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public static async ValueTask ServeLogisticRegressionPredictAsync(
        this ICorrelationServer dealer, int rows, int features, LogisticRegressionOptions? options = null, int fractionalBits = 16,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        options ??= new LogisticRegressionOptions();
        options.Validate(fractionalBits);
        await dealer.ServeMatMulAsync(rows, features + 1, 1, fractionalBits, cancellationToken).ConfigureAwait(false);
        await dealer.ServeSigmoidAsync(rows, fractionalBits, options.Sigmoid, cancellationToken).ConfigureAwait(false);
    }
}
