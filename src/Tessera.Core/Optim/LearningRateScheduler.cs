namespace Tessera.Optim;

/// <summary>Changes an optimizer's learning rate once per epoch (call <see cref="Step"/> after each epoch).</summary>
/// <param name="optimizer">The optimizer whose rate to change.</param>
public abstract class LearningRateScheduler(Optimizer optimizer)
{
    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer { get; } = optimizer ?? throw new ArgumentNullException(nameof(optimizer));

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; private set; }

    /// <summary>Advances one epoch and sets the new rate.</summary>
    public void Step()
    {
        Epoch++;
        Optimizer.LearningRate = RateAt(Epoch);
    }

    /// <summary>The learning rate for <paramref name="epoch"/>.</summary>
    /// <param name="epoch">Epochs completed.</param>
    protected abstract double RateAt(int epoch);
}
