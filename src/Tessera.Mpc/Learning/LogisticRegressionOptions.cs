using Tessera.Mpc.Protocols;

namespace Tessera.Mpc.Learning;

/// <summary>
/// Settings of <see cref="EncryptedLogisticRegression"/> (public; every party and the dealer must use the same values).
/// </summary>
public sealed record LogisticRegressionOptions
{
    /// <summary>The learning rate of plain mini-batch gradient descent (default 0.5).</summary>
    public double LearningRate { get; init; } = 0.5;

    /// <summary>Rows per batch (default 100); the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>The sigmoid's settings (default <see cref="SigmoidOptions"/>' defaults).</summary>
    public SigmoidOptions Sigmoid { get; init; } = new();

    /// <summary>Checks the values.</summary>
    /// <param name="fractionalBits">The session's fractional bits.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate(int fractionalBits)
    {
        if (!double.IsFinite(LearningRate) || LearningRate <= 0 || LearningRate > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be in (0, 1024].");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentNullException.ThrowIfNull(Sigmoid, nameof(Sigmoid));
        Sigmoid.Validate(fractionalBits);
    }
}
