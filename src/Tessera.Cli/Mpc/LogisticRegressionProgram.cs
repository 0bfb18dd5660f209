using System.Diagnostics;
using System.Globalization;
using Tessera.Mpc;
using Tessera.Mpc.Learning;
using Tessera.Mpc.Providers;

namespace Tessera.Cli.Mpc;

/// <summary>
/// Encrypted logistic regression across two data owners (use case 5): Alice (party 0) holds patients 0-499 and Bob
/// (party 1) patients 500-999 of the seeded synthetic table (1000 x 30); they train on secret shares in batches of 100
/// and only Alice learns the model. For the demo both processes generate the same synthetic table and each keeps only its
/// own rows; nothing of the other's rows reaches a party.
/// </summary>
/// <param name="Epochs">Passes over the 1000 rows.</param>
internal sealed record LogisticRegressionProgram(int Epochs) : IMpcProgram
{
    public const int Rows = 1000;
    public const int Features = 30;
    public const ulong Seed = 5;

    public static readonly LogisticRegressionOptions Options = new() { LearningRate = 0.5, BatchSize = 100 };

    public int Parties => 2;

    public DealerMode Mode => DealerMode.Scripted;

    public async Task<IReadOnlyList<string>> RunPartyAsync(MpcSession session, CancellationToken cancellationToken)
    {
        const int half = Rows / 2;
        var table = SyntheticPatients.Generate(Rows, Features, Seed);
        var mine = session.Rank * half;
        var (features, labels) = (table.FeatureRows(mine, half), table.LabelRows(mine, half));
        var x = EncryptedLogisticRegression.ConcatRows(
            EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? features : null, half, Features),
            EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? features : null, half, Features));
        var y = EncryptedLogisticRegression.ConcatRows(
            EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? labels : null, half, 1),
            EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? labels : null, half, 1));
        var who = session.Rank == 0 ? "Alice" : "Bob";
        var lines = new List<string> { $"{who}: my {half} patients are encrypted; the other's stay secret" };
        var model = new EncryptedLogisticRegression(session, Features, Options);
        for (var epoch = 1; epoch <= Epochs; epoch++)
        {
            var watch = Stopwatch.StartNew();
            var (bytes, rounds) = (session.Communicator.Statistics.BytesSent, session.Communicator.Statistics.Rounds);
            await model.TrainEpochAsync(x, y, cancellationToken).ConfigureAwait(false);
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

        var strongest = revealed.Weights.Select((w, j) => (W: w, J: j)).OrderByDescending(p => Math.Abs(p.W)).Take(3);
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"model: bias {revealed.Bias:F3}, strongest weights {string.Join(", ", strongest.Select(p => $"x{p.J} {p.W:F3}"))}"));
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"accuracy on Alice's {half} patients: {revealed.Accuracy(features.ToArray<double>(), labels.ToArray<double>()):F3}"));
        return lines;
    }

    public Task RunDealerAsync(TrustedDealer dealer, CancellationToken cancellationToken) =>
        dealer.ServeLogisticRegressionAsync(Rows, Features, Epochs, Options, cancellationToken: cancellationToken).AsTask();
}
