using Tessera.NN;
using Tessera.Optim;
using Tessera.Training;

namespace Tessera.Core.Tests.Training;

public class TrainerTests
{
    private static (Tensor, Tensor)[] Batches()
    {
        var rng = new SeededRandomSource(1);
        var x = Tensor.Normal([64, 2], rng);
        var labels = x.Select(1, 0).Gt(0).To(DType.Int64);
        return [(x.Narrow(0, 0, 32), labels.Narrow(0, 0, 32)), (x.Narrow(0, 32, 32), labels.Narrow(0, 32, 32))];
    }

    [Fact]
    public void TrainEpoch_ReportsSamplesLossAndProgress()
    {
        var model = Models.Mlp([2, 8, 2], new SeededRandomSource(2));
        var optimizer = new Adam(model.Parameters(), 0.05);
        var reported = new List<int>();
        var first = Trainer.TrainEpoch(model, Batches(), new CrossEntropyLoss(), optimizer, new Progress(reported.Add));
        Assert.Equal(64, first.Samples);
        Assert.Equal(new[] { 1, 2 }, reported);
        EpochResult last = first;
        for (var i = 0; i < 30; i++)
        {
            last = Trainer.TrainEpoch(model, Batches(), new CrossEntropyLoss(), optimizer);
        }

        Assert.True(last.MeanLoss < first.MeanLoss);
        Assert.True(Trainer.Accuracy(model, Batches()) > 0.9);
    }

    [Fact]
    public void TrainEpoch_SteppedScheduler_ChangesRate()
    {
        var model = Models.Mlp([2, 2], new SeededRandomSource(2));
        var optimizer = new Sgd(model.Parameters(), 0.1);
        var schedule = new StepLR(optimizer, 1, 0.5);
        Trainer.TrainEpoch(model, Batches(), new CrossEntropyLoss(), optimizer, scheduler: schedule);
        Assert.Equal(0.025, optimizer.LearningRate, 12);
    }

    [Fact]
    public void TrainEpoch_Cancelled_Throws()
    {
        var model = Models.Mlp([2, 2]);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() =>
            Trainer.TrainEpoch(model, Batches(), new CrossEntropyLoss(), new Sgd(model.Parameters(), 0.1), cancellationToken: cts.Token));
    }

    [Fact]
    public void Trainer_NullArguments_Throw()
    {
        var model = Models.Mlp([2, 2]);
        var opt = new Sgd(model.Parameters(), 0.1);
        Assert.Throws<ArgumentNullException>(() => Trainer.TrainEpoch(null!, Batches(), new CrossEntropyLoss(), opt));
        Assert.Throws<ArgumentNullException>(() => Trainer.TrainEpoch(model, null!, new CrossEntropyLoss(), opt));
        Assert.Throws<ArgumentNullException>(() => Trainer.TrainEpoch(model, Batches(), null!, opt));
        Assert.Throws<ArgumentNullException>(() => Trainer.TrainEpoch(model, Batches(), new CrossEntropyLoss(), null!));
        Assert.Throws<ArgumentNullException>(() => Trainer.Accuracy(null!, Batches()));
    }

    [Fact]
    public void Accuracy_NoBatches_IsNaN() => Assert.True(double.IsNaN(Trainer.Accuracy(Models.Mlp([2, 2]), [])));

    private sealed class Progress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
