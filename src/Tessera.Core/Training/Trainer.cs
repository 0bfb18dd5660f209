using System.Diagnostics;
using Tessera.NN;
using Tessera.Optim;

namespace Tessera.Training;

/// <summary>The plain supervised loop: forward, loss, backward, step; and accuracy evaluation.</summary>
public static class Trainer
{
    /// <summary>Trains one epoch over <paramref name="batches"/> and returns the mean loss and elapsed time.</summary>
    /// <param name="model">The model; put in training mode.</param>
    /// <param name="batches">(inputs, targets) batches.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="optimizer">The optimizer over the model's parameters.</param>
    /// <param name="progress">Receives the number of batches done after each batch.</param>
    /// <param name="scheduler">A learning-rate schedule stepped after every batch, or null.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public static EpochResult TrainEpoch(Module model, IEnumerable<(Tensor Inputs, Tensor Targets)> batches, Loss loss, Optimizer optimizer,
        IProgress<int>? progress = null, LearningRateScheduler? scheduler = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        model.Train();
        var watch = Stopwatch.StartNew();
        double total = 0;
        long samples = 0;
        var done = 0;
        foreach (var (inputs, targets) in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            optimizer.ZeroGrad();
            var value = loss.Forward(model.Forward(inputs), targets);
            value.Backward();
            optimizer.Step();
            scheduler?.Step();
            var n = inputs.Size(0);
            total += value.Item() * n;
            samples += n;
            progress?.Report(++done);
        }

        return new EpochResult(samples == 0 ? double.NaN : total / samples, samples, watch.Elapsed);
    }

    /// <summary>The fraction of samples whose arg-max prediction equals the Int64 class target.</summary>
    /// <param name="model">The model; put in evaluation mode.</param>
    /// <param name="batches">(inputs, targets) batches.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public static double Accuracy(Module model, IEnumerable<(Tensor Inputs, Tensor Targets)> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batches);
        model.Eval();
        long correct = 0;
        long total = 0;
        using (Autograd.NoGrad())
        {
            foreach (var (inputs, targets) in batches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var predicted = model.Forward(inputs).ArgMax(1).Contiguous().AsSpan<long>();
                var expected = targets.Contiguous().AsSpan<long>();
                for (var i = 0; i < predicted.Length; i++)
                {
                    correct += predicted[i] == expected[i] ? 1 : 0;
                }

                total += predicted.Length;
            }
        }

        model.Train();
        return total == 0 ? double.NaN : (double)correct / total;
    }
}
