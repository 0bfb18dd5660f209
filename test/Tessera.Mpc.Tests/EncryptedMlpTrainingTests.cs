using Tessera.Mpc.Learning;
using Tessera.NN;
using Tessera.Optim;
using Xunit.Abstractions;

namespace Tessera.Mpc.Tests;

/// <summary>
/// Encrypted SGD training of a 30-16-1 MLP (use case 5): the model owner (party 0, also Alice) encrypts the initial weights
/// of a Tessera.Core model, Alice holds the first half of the patient rows and Bob (party 1) the second, gradients and
/// updated weights stay shared, and only the model owner learns the trained model. Reference: Tessera.Core autograd and
/// Core SGD on the same Float64 initial weights and the same batches.
/// </summary>
public sealed class EncryptedMlpTrainingTests(ITestOutputHelper output)
{
    private const int Patients = 400, Features = 30, Hidden = 16, Batch = 50, Epochs = 4;
    private const double LearningRate = 0.5;

    [Fact]
    public async Task TrainStepAsync_AliceAndBobRows_MatchesCoreTrainingAndRevealsOnlyToOwner()
    {
        var data = SyntheticPatients.Generate(Patients, Features, seed: 11);
        var random = new SeededRandomSource(12);
        var layers = new[] { new Linear(Features, Hidden, random: random), new Linear(Hidden, 1, random: random) };
        int[] sizes = [Features, Hidden, 1];
        const int half = Patients / 2;
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var alice = session.Rank == 0;
            var model = EncryptedMlp.Encrypt(session, 0, alice ? layers : null, sizes);
            var x = EncryptedLogisticRegression.ConcatRows(
                EncryptedTensor.Encrypt(session, 0, alice ? data.FeatureRows(0, half) : null, half, Features),
                EncryptedTensor.Encrypt(session, 1, alice ? null : data.FeatureRows(half, half), half, Features));
            var y = EncryptedLogisticRegression.ConcatRows(
                EncryptedTensor.Encrypt(session, 0, alice ? data.LabelRows(0, half) : null, half, 1),
                EncryptedTensor.Encrypt(session, 1, alice ? null : data.LabelRows(half, half), half, 1));
            var sgd = new EncryptedSgd(model.Parameters, LearningRate);
            for (var epoch = 0; epoch < Epochs; epoch++)
            {
                for (var start = 0; start < Patients; start += Batch)
                {
                    await model.TrainStepAsync(Rows(x, start, Batch), Rows(y, start, Batch), sgd);
                }
            }

            return await model.RevealToAsync(0);
        });

        Assert.Null(run.Results[1]);
        var encrypted = run.Results[0]!;

        // Plaintext: the same initial weights in Float64, Core autograd, Core SGD, the same batches.
        var parameters = layers.SelectMany(l => new[] { l.Weight, l.Bias! })
            .Select(p => p.Detach().To(DType.Float64).Contiguous().WithGrad()).ToArray();
        var sgd = new Sgd(parameters, LearningRate);
        var xs = data.FeatureRows(0, Patients).To(DType.Float64);
        var ys = data.LabelRows(0, Patients).To(DType.Float64);
        for (var epoch = 0; epoch < Epochs; epoch++)
        {
            for (var start = 0; start < Patients; start += Batch)
            {
                sgd.ZeroGrad();
                var logits = Forward(xs.Narrow(0, start, Batch), parameters);
                new BceWithLogitsLoss().Forward(logits, ys.Narrow(0, start, Batch)).Backward();
                sgd.Step();
            }
        }

        var worst = 0.0;
        for (var i = 0; i < parameters.Length; i++)
        {
            var expected = parameters[i].Detach().Contiguous().ToArray<double>();
            var actual = (i % 2 == 0 ? encrypted[i / 2].Weight : encrypted[i / 2].Bias).Contiguous().ToArray<double>();
            worst = Math.Max(worst, expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max());
        }

        var revealed = encrypted.SelectMany(l => new[] { l.Weight, l.Bias }).ToArray();
        var plainAccuracy = Accuracy(Forward(xs, parameters.Select(p => p.Detach()).ToArray()), ys);
        var encryptedAccuracy = Accuracy(Forward(xs, revealed), ys);
        output.WriteLine($"max |w_mpc - w_core| = {worst:G3}; accuracy plaintext {plainAccuracy:P2}, encrypted {encryptedAccuracy:P2}");
        Assert.True(worst <= 0.025, $"weights differ by {worst}");
        Assert.True(Math.Abs(plainAccuracy - encryptedAccuracy) <= 0.01, $"accuracy {encryptedAccuracy} vs {plainAccuracy}");
        Assert.True(plainAccuracy > 0.65, $"plaintext accuracy {plainAccuracy} is too low for a meaningful comparison");
    }

    private static EncryptedTensor Rows(EncryptedTensor x, int start, int count)
    {
        var width = x.Shape[1];
        var share = x.Shares.Share.AsSpan(start * width, count * width).ToArray();
        return EncryptedTensor.FromShares(new Sharing.SharedTensor(x.Session, share, [count, width], x.FractionalBits));
    }

    private static Tensor Forward(Tensor x, Tensor[] p) =>
        x.MatMul(p[0].T).Add(p[1]).Relu().MatMul(p[2].T).Add(p[3]);

    private static double Accuracy(Tensor logits, Tensor labels)
    {
        var z = logits.Contiguous().ToArray<double>();
        var y = labels.Contiguous().ToArray<double>();
        return z.Zip(y, (a, b) => (a > 0 ? 1.0 : 0.0) == b ? 1.0 : 0.0).Average();
    }
}
