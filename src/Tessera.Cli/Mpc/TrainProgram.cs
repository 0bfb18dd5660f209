using System.Diagnostics;
using System.Globalization;
using Tessera.Mpc;
using Tessera.Mpc.Learning;
using Tessera.NN;

namespace Tessera.Cli.Mpc;

/// <summary>
/// Encrypted training of a 30-16-1 MLP with SGD (use case 5): Alice (party 0) owns the model and encrypts its initial
/// weights (a seeded Tessera.Core model) and holds patients 0-499, Bob (party 1) holds patients 500-999 of the seeded
/// synthetic table; they train on secret shares in batches of 100 with encrypted autograd, gradients and updated weights
/// stay shared, and only Alice learns the trained model. The dealer serves on request. For the demo both processes
/// generate the same synthetic table and each keeps only its own rows.
/// </summary>
/// <param name="Epochs">Passes over the 1000 rows.</param>
internal sealed record TrainProgram(int Epochs) : IMpcProgram
{
    public const int Rows = 1000, Features = 30, Hidden = 16, Batch = 100;
    public const ulong DataSeed = 5, ModelSeed = 6;
    public const double LearningRate = 0.5;

    public int Parties => 2;

    public async Task<IReadOnlyList<string>> RunPartyAsync(MpcSession session, CancellationToken cancellationToken)
    {
        const int half = Rows / 2;
        var table = SyntheticPatients.Generate(Rows, Features, DataSeed);
        var mine = session.Rank * half;
        var (features, labels) = (table.FeatureRows(mine, half), table.LabelRows(mine, half));
        var x = EncryptedLogisticRegression.ConcatRows(
            EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? features : null, half, Features),
            EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? features : null, half, Features));
        var y = EncryptedLogisticRegression.ConcatRows(
            EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? labels : null, half, 1),
            EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? labels : null, half, 1));
        Linear[]? layers = null;
        if (session.Rank == 0)
        {
            var random = new SeededRandomSource(ModelSeed);
            layers = [new Linear(Features, Hidden, random: random), new Linear(Hidden, 1, random: random)];
        }

        var model = EncryptedMlp.Encrypt(session, 0, layers, [Features, Hidden, 1]);
        var sgd = new EncryptedSgd(model.Parameters, LearningRate);
        var who = session.Rank == 0 ? "Alice (model owner)" : "Bob";
        var lines = new List<string> { $"{who}: my {half} patients are encrypted; the other's stay secret; model 30-16-1, SGD lr {LearningRate}" };
        for (var epoch = 1; epoch <= Epochs; epoch++)
        {
            var watch = Stopwatch.StartNew();
            var (bytes, rounds) = (session.Communicator.Statistics.BytesSent, session.Communicator.Statistics.Rounds);
            for (var start = 0; start < Rows; start += Batch)
            {
                await model.TrainStepAsync(x.Narrow(0, start, Batch), y.Narrow(0, start, Batch), sgd, computeLoss: false, cancellationToken).ConfigureAwait(false);
            }

            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch}: {watch.Elapsed.TotalSeconds:F3} s, sent {(session.Communicator.Statistics.BytesSent - bytes) / 1e6:F2} MB "
                + $"in {session.Communicator.Statistics.Rounds - rounds} rounds"));
        }

        var revealed = await model.RevealToAsync(0, cancellationToken).ConfigureAwait(false);
        if (revealed is null)
        {
            lines.Add("model: revealed to Alice only");
            return lines;
        }

        var input = features.To(DType.Float64);
        var logits = input.MatMul(revealed[0].Weight.T).Add(revealed[0].Bias).Relu().MatMul(revealed[1].Weight.T).Add(revealed[1].Bias);
        var z = logits.Contiguous().ToArray<double>();
        var truth = labels.To(DType.Float64).Contiguous().ToArray<double>();
        var accuracy = z.Zip(truth, (a, b) => (a > 0 ? 1.0 : 0.0) == b ? 1.0 : 0.0).Average();
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"accuracy on Alice's {half} patients: {accuracy:F3}"));
        return lines;
    }

}
