using System.Diagnostics;
using Tessera.Mpc;
using Tessera.Mpc.Communication;
using Tessera.Mpc.Learning;
using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;
using Tessera.Mpc.Randomness;
using Tessera.Mpc.Sharing;

namespace Tessera.Cli.Mpc;

/// <summary>
/// The figures of <c>tessera mpc bench</c>: mul of 1e6 elements (with the truncation back to 16 fractional bits), matmul
/// 256x256x256 (with truncation), ReLU, sigmoid, exp and reciprocal of 1e5, MLP 784-128-10 inference on a batch of 100, and one epoch of
/// logistic regression on 1000 x 30 (Alice's 500 rows and Bob's 500, batches of 100), two parties and the dealer. Party 0 prints one line per operation:
/// name, seconds (the median and the best of <paramref name="Repeats"/> barrier-to-result intervals, after a warm-up of
/// every protocol on a few elements), the machine limit for the same traffic (<see cref="MachineLimits"/>, measured in the
/// same run), MB it sent and rounds in one run; with <paramref name="Json"/> it prints the same figures as one JSON array
/// instead (<see cref="BenchFigure.ToJson"/>). The dealer serves every repetition, in the same order.
/// </summary>
/// <param name="Json">Party 0 prints one JSON array instead of text lines.</param>
/// <param name="Repeats">How many times each line runs.</param>
/// <param name="Mode">
/// How the dealer learns what to send: on request (the default, as in any other program; its work falls inside each line)
/// or from the script below (it computes every line's material as fast as it can from the start, on the same cores).
/// </param>
internal sealed record BenchProgram(bool Json = false, int Repeats = 5, DealerMode Mode = DealerMode.OnRequest) : IMpcProgram
{
    private const int MulCount = 1_000_000;
    private const int MatDim = 256;
    private const int ReluCount = 100_000;
    private const int WarmUp = 1000;
    private const int LogisticRows = 1000;
    private const int LogisticFeatures = 30;

    private static readonly LogisticRegressionOptions LogisticOptions = new() { LearningRate = 0.5, BatchSize = 100 };

    public int Parties => 2;

    // The operation labels under which a party receives the dealer's corrections.
    private static readonly string[] DealerLabels = ["beaver", "truncation-pair", "and-triple", "edabits", "dabits", "bit-products"];

    public async Task<IReadOnlyList<string>> RunPartyAsync(MpcSession session, CancellationToken cancellationToken)
    {
        var random = new SeededRandomSource(7 + (ulong)session.Rank);
        Tensor? Values(int count, params int[] shape) =>
            Tensor.FromArray(Enumerable.Range(0, count).Select(_ => (random.NextDouble() * 4) - 2).ToArray(), shape);
        var x = session.Share(0, session.Rank == 0 ? Values(MulCount, MulCount) : null, MulCount);
        var y = session.Share(1, session.Rank == 1 ? Values(MulCount, MulCount) : null, MulCount);
        var a = session.Share(0, session.Rank == 0 ? Values(MatDim * MatDim, MatDim, MatDim) : null, MatDim, MatDim);
        var b = session.Share(1, session.Rank == 1 ? Values(MatDim * MatDim, MatDim, MatDim) : null, MatDim, MatDim);
        var r = session.Share(0, session.Rank == 0 ? Values(ReluCount, ReluCount) : null, ReluCount);
        var lines = new List<string>();

        // Warm-up: each protocol once on a few elements, so the timings below measure work, not the JIT.
        var wx = session.Share(0, session.Rank == 0 ? Values(WarmUp, WarmUp) : null, WarmUp);
        var wm = session.Share(0, session.Rank == 0 ? Values(16, 4, 4) : null, 4, 4);
        await session.RescaleAsync(await session.MulAsync(wx, wx, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await session.RescaleAsync(await session.MatMulAsync(wm, wm, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await session.ReluAsync(wx, cancellationToken).ConfigureAwait(false);
        var limits = await MachineLimits.MeasureAsync(session, cancellationToken).ConfigureAwait(false);

        // The probe leaves about 80 MB of large-object garbage; collect it now rather than inside a timed line.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var figures = new List<BenchFigure>();

        // Through EncryptedTensor, as a user writes it: the product and its truncation are one operation (announced to the
        // dealer together in on-request mode).
        await TimeAsync("mul 1e6 (with truncation)", async () =>
            (await EncryptedTensor.FromShares(x).MulAsync(EncryptedTensor.FromShares(y), cancellationToken).ConfigureAwait(false)).Shares)
            .ConfigureAwait(false);
        await TimeAsync("matmul 256x256x256 (with truncation)", async () =>
            (await EncryptedTensor.FromShares(a).MatMulAsync(EncryptedTensor.FromShares(b), cancellationToken).ConfigureAwait(false)).Shares)
            .ConfigureAwait(false);
        await TimeAsync("ReLU 1e5", async () => await session.ReluAsync(r, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        await TimeAsync("sigmoid 1e5", async () => await session.SigmoidAsync(r, cancellationToken: cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        await TimeAsync("exp 1e5", async () => await session.ExpAsync(r, cancellationToken: cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        var positive = session.Share(0, session.Rank == 0 ? Tensor.FromArray(Enumerable.Range(0, ReluCount).Select(_ => 0.5 + (random.NextDouble() * 50)).ToArray(), ReluCount) : null, ReluCount);
        await TimeAsync("reciprocal 1e5", async () => await session.ReciprocalAsync(positive, cancellationToken: cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

        // MLP 784-128-10 inference on a batch of 100: the model's owner (party 0) encrypts the weights, the client (party 1)
        // the images; only the client learns the logits.
        var w1 = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Values(784 * 128, 784, 128) : null, 784, 128);
        // The owner tiles the bias over the batch before encrypting it (the batch size is public).
        var bias = Values(128, 128);
        var b1 = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Tensor.Stack([.. Enumerable.Repeat(bias!, 100)]) : null, 100, 128);
        var w2 = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Values(128 * 10, 128, 10) : null, 128, 10);
        var images = EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? Values(100 * 784, 100, 784) : null, 100, 784);
        await TimeAsync("MLP 784-128-10 inference, batch 100", async () =>
        {
            var hidden = await images.MatMulAsync(w1, cancellationToken).ConfigureAwait(false);
            hidden = await hidden.Add(b1).ReluAsync(cancellationToken).ConfigureAwait(false);
            var logits = await hidden.MatMulAsync(w2, cancellationToken).ConfigureAwait(false);
            await logits.DecryptToAsync(1, cancellationToken).ConfigureAwait(false);
            return logits.Shares;
        }).ConfigureAwait(false);

        // Logistic regression: Alice (party 0) holds rows 0-499, Bob (party 1) rows 500-999 of the synthetic patients.
        var patients = SyntheticPatients.Generate(LogisticRows, LogisticFeatures, seed: 5);
        const int half = LogisticRows / 2;
        var rows = EncryptedLogisticRegression.ConcatRows(
            EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? patients.FeatureRows(0, half) : null, half, LogisticFeatures),
            EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? patients.FeatureRows(half, half) : null, half, LogisticFeatures));
        var labels = EncryptedLogisticRegression.ConcatRows(
            EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? patients.LabelRows(0, half) : null, half, 1),
            EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? patients.LabelRows(half, half) : null, half, 1));
        var regression = new EncryptedLogisticRegression(session, LogisticFeatures, LogisticOptions);
        await TimeAsync("logistic regression epoch (1000x30, batch 100)", async () =>
        {
            await regression.TrainEpochAsync(rows, labels, cancellationToken).ConfigureAwait(false);
            return regression.Weights.Shares;
        }).ConfigureAwait(false);
        if (Json)
        {
            return session.Rank == 0 ? [BenchFigure.ToJson(figures)] : [];
        }

        lines.Add(limits.ToText());
        return lines;


        static long FromDealer(CommunicationStatistics stats) =>
            DealerLabels.Sum(label => stats.ByOperation.TryGetValue(label, out var counters) ? counters.BytesReceived : 0);

        async Task TimeAsync(string name, Func<Task<SharedTensor>> operation)
        {
            var stats = session.Communicator.Statistics;
            var seconds = new double[Repeats];
            var (sentOnce, receivedOnce, roundsOnce, keystreamOnce) = (0L, 0L, 0L, 0L);
            for (var repeat = 0; repeat < Repeats; repeat++)
            {
                // A one-element reveal lines the parties up, so the interval measures the operation, not a late start.
                await session.RevealRingAsync(session.Share(0, session.Rank == 0 ? Tensor.Zeros([1], DType.Float64) : null, 1), cancellationToken).ConfigureAwait(false);
                var (sent, received, rounds, keystream) = (stats.BytesSent, stats.BytesReceived - FromDealer(stats), stats.Rounds, AesCtrPrg.KeystreamBytes);
                var stopwatch = Stopwatch.StartNew();
                await operation().ConfigureAwait(false);
                seconds[repeat] = stopwatch.Elapsed.TotalSeconds;
                if (repeat == 0)
                {
                    // Every run sends the same bytes in the same rounds; the first one's counts stand for all.
                    (sentOnce, receivedOnce, roundsOnce, keystreamOnce) = (stats.BytesSent - sent, stats.BytesReceived - FromDealer(stats) - received,
                        stats.Rounds - rounds, AesCtrPrg.KeystreamBytes - keystream);
                }
            }

            Array.Sort(seconds);
            var median = Repeats % 2 == 1 ? seconds[Repeats / 2] : (seconds[(Repeats / 2) - 1] + seconds[Repeats / 2]) / 2;

            // The dealer's corrections (received by one party per request, rotating) are left out: L is the party-to-party link.
            var limit = limits.LimitSeconds(Math.Max(sentOnce, receivedOnce), roundsOnce, keystreamOnce);
            var figure = new BenchFigure(name, median, seconds[0], Repeats, sentOnce / 1e6, roundsOnce, limit);
            figures.Add(figure);
            lines.Add(figure.ToText(session.Rank));
        }
    }

    public async Task RunDealerAsync(TrustedDealer dealer, CancellationToken cancellationToken)
    {
        if (Mode == DealerMode.OnRequest)
        {
            await dealer.ServeRequestsAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await dealer.ServeTripleAsync(TripleRequest.Elementwise(WarmUp), cancellationToken).ConfigureAwait(false);
        await dealer.ServeTruncationPairAsync(WarmUp, 16, cancellationToken).ConfigureAwait(false);
        await dealer.ServeTripleAsync(TripleRequest.MatMul(4, 4, 4), cancellationToken).ConfigureAwait(false);
        await dealer.ServeTruncationPairAsync(16, 16, cancellationToken).ConfigureAwait(false);
        await dealer.ServeReluAsync(WarmUp, cancellationToken).ConfigureAwait(false);
        await RepeatAsync(async () =>
        {
            await dealer.ServeTripleAsync(TripleRequest.Elementwise(MulCount), cancellationToken).ConfigureAwait(false);
            await dealer.ServeTruncationPairAsync(MulCount, 16, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        await RepeatAsync(async () =>
        {
            await dealer.ServeTripleAsync(TripleRequest.MatMul(MatDim, MatDim, MatDim), cancellationToken).ConfigureAwait(false);
            await dealer.ServeTruncationPairAsync(MatDim * MatDim, 16, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        await RepeatAsync(() => dealer.ServeReluAsync(ReluCount, cancellationToken)).ConfigureAwait(false);
        await RepeatAsync(() => dealer.ServeSigmoidAsync(ReluCount, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await RepeatAsync(() => dealer.ServeExpAsync(ReluCount, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await RepeatAsync(() => dealer.ServeReciprocalAsync(ReluCount, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await RepeatAsync(async () =>
        {
            await dealer.ServeMatMulAsync(100, 784, 128, cancellationToken: cancellationToken).ConfigureAwait(false);
            await dealer.ServeReluAsync(100 * 128, cancellationToken).ConfigureAwait(false);
            await dealer.ServeMatMulAsync(100, 128, 10, cancellationToken: cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        await RepeatAsync(() => dealer.ServeLogisticRegressionAsync(LogisticRows, LogisticFeatures, 1, LogisticOptions, cancellationToken: cancellationToken))
            .ConfigureAwait(false);

        async Task RepeatAsync(Func<ValueTask> serve)
        {
            for (var repeat = 0; repeat < Repeats; repeat++)
            {
                await serve().ConfigureAwait(false);
            }
        }
    }
}
