using System.Diagnostics;
using Tessera.NN;
using Tessera.Training;

namespace Tessera.Privacy.Training;

/// <summary>The DP-SGD loop: per-sample gradients, clipping, noise and a step for every Poisson batch, empty ones included.</summary>
public static class DpSgdTrainer
{
    /// <summary>Trains one epoch of <paramref name="loader"/>'s batches and returns the mean loss and elapsed time.</summary>
    /// <param name="module">The wrapped model; its model is put in training mode.</param>
    /// <param name="loader">Poisson-sampled batches.</param>
    /// <param name="loss">The loss; must sum over samples (<see cref="Reduction.Sum"/>).</param>
    /// <param name="dpSgd">The DP-SGD update.</param>
    /// <param name="onStep">Called after every step (empty ones too), e.g. to step a privacy accountant.</param>
    /// <param name="progress">Receives the number of steps done.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <exception cref="ArgumentException">The loss does not sum over samples.</exception>
    public static EpochResult TrainEpoch(GradSampleModule module, PoissonDataLoader loader, Loss loss, DpSgd dpSgd,
        Action? onStep = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(dpSgd);
        if (loss.Reduction != Reduction.Sum)
        {
            throw new ArgumentException($"DP-SGD needs the loss summed over samples (Reduction.Sum), not {loss.Reduction}.", nameof(loss));
        }

        module.Model.Train();
        var watch = Stopwatch.StartNew();
        double total = 0;
        long samples = 0;
        var done = 0;
        foreach (var (inputs, targets) in loader)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = inputs.Size(0);
            if (n == 0)
            {
                dpSgd.StepEmptyBatch();
            }
            else
            {
                var value = loss.Forward(module.Forward(inputs), targets);
                value.Backward();
                dpSgd.Step();
                total += value.Item();
                samples += n;
            }

            onStep?.Invoke();
            progress?.Report(++done);
        }

        return new EpochResult(samples == 0 ? double.NaN : total / samples, samples, watch.Elapsed);
    }
}
