using System.Diagnostics;
using Tessera.Mpc.Learning;
using Tessera.Mpc.Providers;
using Xunit.Abstractions;

namespace Tessera.Mpc.Tests;

/// <summary>
/// Encrypted logistic regression (use case 5): Alice (party 0) and Bob (party 1) each hold half the rows of a synthetic
/// patient table; the dealer (rank 2) serves the training script and receives nothing; the model is revealed to Alice.
/// The reference is plaintext logistic regression in doubles with the same zero init, learning rate and batches.
/// </summary>
public sealed class LogisticRegressionTests(ITestOutputHelper output)
{
    private const int Patients = 1000, Features = 30, Epochs = 3;

    [Fact]
    public async Task TrainEpochAsync_TwoDataOwners_MatchesPlaintextTrainingAndRevealsOnlyToReceiver()
    {
        var data = SyntheticPatients.Generate(Patients, Features, seed: 5);
        var options = new LogisticRegressionOptions { LearningRate = 0.5, BatchSize = 100 };
        const int half = Patients / 2;
        var epochSeconds = new double[Epochs];
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var alice = session.Rank == 0;
            var xAlice = EncryptedTensor.Encrypt(session, 0, alice ? data.FeatureRows(0, half) : null, half, Features);
            var xBob = EncryptedTensor.Encrypt(session, 1, alice ? null : data.FeatureRows(half, half), half, Features);
            var yAlice = EncryptedTensor.Encrypt(session, 0, alice ? data.LabelRows(0, half) : null, half, 1);
            var yBob = EncryptedTensor.Encrypt(session, 1, alice ? null : data.LabelRows(half, half), half, 1);
            var x = EncryptedLogisticRegression.ConcatRows(xAlice, xBob);
            var y = EncryptedLogisticRegression.ConcatRows(yAlice, yBob);
            var model = new EncryptedLogisticRegression(session, Features, options);
            for (var epoch = 0; epoch < Epochs; epoch++)
            {
                var watch = Stopwatch.StartNew();
                var rounds = session.Communicator.Statistics.Rounds;
                await model.TrainEpochAsync(x, y);
                if (alice)
                {
                    epochSeconds[epoch] = watch.Elapsed.TotalSeconds;
                }

                Assert.Equal(10 * 36, session.Communicator.Statistics.Rounds - rounds);
            }

            Assert.Equal(Epochs * 10, model.Steps);
            var revealed = await model.RevealToAsync(0);
            var probabilities = await model.PredictProbabilitiesAsync(xAlice);
            return (Model: revealed, Probabilities: await probabilities.DecryptToAsync(0));
        }, async dealer =>
        {
            await dealer.ServeLogisticRegressionAsync(Patients, Features, Epochs, options);
            await dealer.ServeLogisticRegressionPredictAsync(half, Features, options);
        });

        Assert.Null(run.Results[1].Model);
        Assert.Null(run.Results[1].Probabilities);
        var encrypted = run.Results[0].Model!;
        var probabilities = run.Results[0].Probabilities!.ToArray<double>();
        for (var i = 0; i < half; i++)
        {
            // Encrypted inference with the encrypted model: sigmoid error < 1.2e-3 plus input quantization.
            var expected = encrypted.Probability(data.Features.AsSpan(i * Features, Features));
            Assert.True(Math.Abs(expected - probabilities[i]) < 2e-3, $"row {i}: {probabilities[i]} vs {expected}");
        }

        var plain = TrainPlaintext(data, options, Epochs);
        var encryptedAccuracy = encrypted.Accuracy(data.Features, data.Labels);
        var plainAccuracy = plain.Accuracy(data.Features, data.Labels);
        var weightError = encrypted.Weights.Zip(plain.Weights, (a, b) => Math.Abs(a - b)).Append(Math.Abs(encrypted.Bias - plain.Bias)).Max();
        var weightScale = plain.Weights.Select(Math.Abs).Max();
        output.WriteLine(
            $"accuracy encrypted {encryptedAccuracy:F4}, plaintext {plainAccuracy:F4}; max |w - w_plain| {weightError:E2} "
            + $"(max |w_plain| {weightScale:F3}); epoch seconds {string.Join(", ", epochSeconds.Select(s => s.ToString("F2")))}");

        Assert.True(plainAccuracy > 0.7, $"the plaintext model learned something ({plainAccuracy})");
        Assert.True(Math.Abs(encryptedAccuracy - plainAccuracy) <= 0.01, $"accuracy {encryptedAccuracy} vs {plainAccuracy}");
        // Sigmoid's absolute error (< 1.2e-3) and one ulp per truncation, over 30 steps of lr 0.5: measured about 1e-3.
        Assert.True(weightError < 0.01, $"max weight error {weightError}");
        Assert.True(weightError > 0, "the training went through fixed point");
        Assert.DoesNotContain(run.Log, m => m.To == run.Dealer);
    }

    [Fact]
    public async Task StepAsync_MismatchedShapes_Throw()
    {
        await MpcHarness.RunAsync(2, session =>
        {
            var model = new EncryptedLogisticRegression(session, 3);
            var x = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Tensor.Zeros([4, 2], DType.Float64) : null, 4, 2);
            var y = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Tensor.Zeros([4, 1], DType.Float64) : null, 4, 1);
            Assert.Throws<ArgumentException>(() => model.StepAsync(x, y).AsTask().GetAwaiter().GetResult());
            Assert.Throws<ArgumentException>(() => EncryptedLogisticRegression.ConcatRows(x, y));
            Assert.Throws<ArgumentOutOfRangeException>(
                () => new EncryptedLogisticRegression(session, 3, new LogisticRegressionOptions { BatchSize = 0 }));
            return Task.FromResult(0);
        }, MpcHarness.NoDealerWork);
    }

    [Fact]
    public void SyntheticPatients_SameSeed_SameDataStandardized()
    {
        var a = SyntheticPatients.Generate(200, 7, seed: 9);
        var b = SyntheticPatients.Generate(200, 7, seed: 9);
        var c = SyntheticPatients.Generate(200, 7, seed: 10);
        Assert.Equal(a.Features, b.Features);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.Features, c.Features);
        for (var j = 0; j < 7; j++)
        {
            var column = Enumerable.Range(0, 200).Select(i => a.Features[(i * 7) + j]).ToArray();
            Assert.InRange(column.Average(), -1e-9, 1e-9);
            Assert.InRange(column.Select(v => v * v).Average(), 1 - 1e-9, 1 + 1e-9);
        }

        Assert.InRange(a.Labels.Average(), 0.2, 0.8);
    }

    /// <summary>The same algorithm in doubles: zero init, consecutive batches, θ -= lr / B [X 1]^T (sigmoid(z) - y).</summary>
    private static LogisticModel TrainPlaintext(SyntheticPatients data, LogisticRegressionOptions options, int epochs)
    {
        var d = data.Columns;
        var w = new double[d];
        var b = 0.0;
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            for (var start = 0; start < data.Rows; start += options.BatchSize)
            {
                var batch = Math.Min(options.BatchSize, data.Rows - start);
                var gw = new double[d];
                var gb = 0.0;
                var model = new LogisticModel(w, b);
                for (var i = start; i < start + batch; i++)
                {
                    var row = data.Features.AsSpan(i * d, d);
                    var e = model.Probability(row) - data.Labels[i];
                    for (var j = 0; j < d; j++)
                    {
                        gw[j] += e * row[j];
                    }

                    gb += e;
                }

                var step = options.LearningRate / batch;
                w = w.Zip(gw, (wj, g) => wj - (step * g)).ToArray();
                b -= step * gb;
            }
        }

        return new LogisticModel(w, b);
    }
}
