using System.Diagnostics;
using System.Globalization;
using Tessera.Mpc;
using Tessera.Mpc.Learning;
using Tessera.NN;

namespace Tessera.Cli.Mpc;

/// <summary>
/// Encrypted training of a 30-16-1 MLP with SGD (use case 5), three computing parties and the dealer: the model owner
/// (party 0) encrypts its initial weights (a seeded Tessera.Core model), Alice (party 1) holds patients 0-499 and Bob
/// (party 2) patients 500-999 of the seeded synthetic table; the three train on secret shares in batches of 100 with
/// encrypted autograd; gradients and updated weights stay shared, so the owner never sees what Alice's or Bob's rows
/// contributed, and at the end only the owner learns the trained model, which it scores on 1000 held-out patients of
/// the same population. The
/// dealer serves on request. For the demo every process generates the same synthetic table and each data owner keeps
/// only its own rows.
/// </summary>
/// <param name="Epochs">Passes over the 1000 rows.</param>
internal sealed record TrainProgram(int Epochs) : IMpcProgram
{
    public const int Rows = 1000, Features = 30, Hidden = 16, Batch = 100;
    public const ulong DataSeed = 5, ModelSeed = 6;
    public const double LearningRate = 0.5;

    public int Parties => 3;

    public async Task<IReadOnlyList<string>> RunPartyAsync(MpcSession session, CancellationToken cancellationToken)
    {
        const int half = Rows / 2;
        // Rows 0-999 are Alice's and Bob's; rows 1000-1999 are held out from the same population for the owner's score.
        var table = SyntheticPatients.Generate(2 * Rows, Features, DataSeed);
        var isDataOwner = session.Rank is 1 or 2;
        var mine = (session.Rank - 1) * half;
        var (features, labels) = isDataOwner ? (table.FeatureRows(mine, half), table.LabelRows(mine, half)) : (null, null);
        var x = EncryptedLogisticRegression.ConcatRows(
            EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? features : null, half, Features),
            EncryptedTensor.Encrypt(session, 2, session.Rank == 2 ? features : null, half, Features));
        var y = EncryptedLogisticRegression.ConcatRows(
            EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? labels : null, half, 1),
            EncryptedTensor.Encrypt(session, 2, session.Rank == 2 ? labels : null, half, 1));
        Linear[]? layers = null;
        if (session.Rank == 0)
        {
            var random = new SeededRandomSource(ModelSeed);
            layers = [new Linear(Features, Hidden, random: random), new Linear(Hidden, 1, random: random)];
        }

        var model = EncryptedMlp.Encrypt(session, 0, layers, [Features, Hidden, 1]);
        var sgd = new EncryptedSgd(model.Parameters, LearningRate);
        var lines = new List<string>
        {
            session.Rank == 0
                ? $"model owner: my initial 30-16-1 model is encrypted; I see no patient; SGD lr {LearningRate}"
                : $"{(session.Rank == 1 ? "Alice" : "Bob")}: my {half} patients are encrypted; the others' stay secret",
        };
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
            lines.Add("model: revealed to the model owner only");
            return lines;
        }

        // The owner scores its trained model on patients nobody trained on (a second draw from the same population).
        var input = table.FeatureRows(Rows, Rows).To(DType.Float64);
        var logits = input.MatMul(revealed[0].Weight.T).Add(revealed[0].Bias).Relu().MatMul(revealed[1].Weight.T).Add(revealed[1].Bias);
        var z = logits.Contiguous().ToArray<double>();
        var truth = table.LabelRows(Rows, Rows).To(DType.Float64).Contiguous().ToArray<double>();
        var accuracy = z.Zip(truth, (a, b) => (a > 0 ? 1.0 : 0.0) == b ? 1.0 : 0.0).Average();
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"model owner: accuracy on {Rows} held-out patients: {accuracy:F3}"));
        return lines;
    }
}
