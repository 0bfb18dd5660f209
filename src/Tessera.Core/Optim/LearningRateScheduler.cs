namespace Tessera.Optim;

/// <summary>
/// Changes an optimizer's learning rate each time <see cref="Step"/> is called: once per epoch, or once per batch for
/// schedules counted in optimizer steps (the unit is the caller's; the schedule's lengths count calls to Step).
/// </summary>
/// <param name="optimizer">The optimizer whose rate to change.</param>
public abstract class LearningRateScheduler(Optimizer optimizer)
{
    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer { get; } = optimizer ?? throw new ArgumentNullException(nameof(optimizer));

    /// <summary>Calls to <see cref="Step"/> so far.</summary>
    public int Steps { get; private set; }

    /// <summary>Advances one step (an epoch or a batch) and sets the new rate.</summary>
    public void Step()
    {
        Steps++;
        Optimizer.LearningRate = RateAt(Steps);
    }

    /// <summary>The learning rate after <paramref name="steps"/> calls to <see cref="Step"/>.</summary>
    /// <param name="steps">Steps completed.</param>
    protected abstract double RateAt(int steps);
}
