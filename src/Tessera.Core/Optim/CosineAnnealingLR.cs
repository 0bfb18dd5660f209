namespace Tessera.Optim;

/// <summary>Anneals the rate from its initial value to a minimum along a half cosine over tMax steps.</summary>
public sealed class CosineAnnealingLR : LearningRateScheduler
{
    /// <summary>Creates the scheduler.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="tMax">Steps to reach the minimum; positive.</param>
    /// <param name="minLearningRate">The final rate; positive and below the initial rate.</param>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double minLearningRate = 1e-6)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tMax);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minLearningRate);
        TMax = tMax;
        MinLearningRate = minLearningRate;
    }

    /// <summary>Steps to reach the minimum.</summary>
    public int TMax { get; }

    /// <summary>The final rate.</summary>
    public double MinLearningRate { get; }

    /// <inheritdoc/>
    protected override double RateAt(int steps)
    {
        var t = Math.Min(steps, TMax);
        var max = Optimizer.InitialLearningRate;
        return MinLearningRate + ((max - MinLearningRate) * (1 + Math.Cos(Math.PI * t / TMax)) / 2);
    }
}
