using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Tessera.Mpc;
using Tessera.Mpc.Communication;
using Tessera.Mpc.Learning;
using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;
using Tessera.Mpc.Randomness;
using Tessera.Mpc.Sharing;

namespace Tessera.Cli.Mpc;

/// <summary>
/// The figures of <c>tessera mpc bench</c>: mul of 1e6 elements (with the truncation back to 16 fractional bits), the
/// truncation of 1e6 alone (one opening of 8 MB each way: the least any exact product with truncation needs, so the floor
/// under the mul line on this machine), matmul
/// 256x256x256 (with truncation), ReLU, sigmoid, exp and reciprocal of 1e5, MLP 784-128-10 inference on a batch of 100, and one epoch of
/// logistic regression on 1000 x 30 (Alice's 500 rows and Bob's 500, batches of 100), two parties and the dealer. Party 0 prints one line per operation:
/// name, seconds (the median and the best of <paramref name="Repeats"/> barrier-to-result intervals, in a warm process: every
/// line first runs 30 times on a few elements and 5 times on tens of thousands, then the party waits for the runtime's background compiler to go idle),
/// the machine limit for the same traffic (<see cref="MachineLimits"/>, measured in the
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
    private const int LogisticFeatures = 30;

    // The timed lines' sizes, and the same lines at two smaller sizes for the warm-up: small passes take every method
    // called once per operation past the runtime's tier-up call count (30) and every loop past on-stack replacement;
    // middle passes take the paths only large arrays take (recycled arrays, the dealer's parallel derivation).
    private static readonly Workload Timed = new(Mul: 1_000_000, MatDim: 256, Elementwise: 100_000, Batch: 100, LogisticRows: 1000);
    private static readonly Workload Small = new(Mul: 1000, MatDim: 32, Elementwise: 1000, Batch: 4, LogisticRows: 100);
    private static readonly Workload Middle = new(Mul: 40_000, MatDim: 64, Elementwise: 40_000, Batch: 100, LogisticRows: 1000);
    private const int SmallPasses = 30;
    private const int MiddlePasses = 5;

    // The wait for the runtime's background compiler after the warm-up: until no method was compiled for this long, or
    // at most the second figure.
    private static readonly TimeSpan JitQuiet = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan JitWaitLimit = TimeSpan.FromSeconds(15);

    private static readonly (Workload Sizes, int Passes)[] WarmUp = [(Small, SmallPasses), (Middle, MiddlePasses)];

    private static readonly LogisticRegressionOptions LogisticOptions = new() { LearningRate = 0.5, BatchSize = 100 };

    public int Parties => 2;

    // The operation labels under which a party receives the dealer's corrections.
    private static readonly string[] DealerLabels = ["beaver", "truncation-pair", "and-triple", "edabits", "dabits", "bit-products"];

    public async Task<IReadOnlyList<string>> RunPartyAsync(MpcSession session, CancellationToken cancellationToken)
    {
        var random = new SeededRandomSource(7 + (ulong)session.Rank);

        // Warm-up: every line at the small size, then a wait for the background compiler, so the timings below measure
        // the protocols in a warm process (as a party serving requests runs), not the JIT. The first passes of a cold
        // process compile about 3,500 methods, seconds of CPU on each party.
        foreach (var (sizes, passes) in WarmUp)
        {
            var warmUp = Lines(session, sizes, random, cancellationToken);
            for (var pass = 0; pass < passes; pass++)
            {
                foreach (var (_, operation) in warmUp)
                {
                    await operation().ConfigureAwait(false);
                }
            }
        }

        var limits = await MachineLimits.MeasureAsync(session, cancellationToken).ConfigureAwait(false);
        await WaitForCompilerAsync(cancellationToken).ConfigureAwait(false);

        var timed = Lines(session, Timed, random, cancellationToken);

        // The probe leaves about 80 MB of large-object garbage; collect it now rather than inside a timed line.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var lines = new List<string>();
        var figures = new List<BenchFigure>();
        foreach (var (name, operation) in timed)
        {
            await TimeAsync(name, operation).ConfigureAwait(false);
        }

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

    /// <summary>
    /// The bench's lines at <paramref name="sizes"/>, inputs shared up front: mul and matmul through <see cref="EncryptedTensor"/>
    /// as a user writes them (the product and its truncation are one operation, announced to the dealer together in
    /// on-request mode), ReLU, sigmoid, exp and reciprocal on shares, the MLP and the logistic-regression epoch.
    /// </summary>
    private static List<(string Name, Func<Task<SharedTensor>> Operation)> Lines(
        MpcSession session, Workload sizes, SeededRandomSource random, CancellationToken cancellationToken)
    {
        Tensor? Values(int count, params int[] shape) =>
            Tensor.FromArray(Enumerable.Range(0, count).Select(_ => (random.NextDouble() * 4) - 2).ToArray(), shape);
        var (n, d, m, batch) = (sizes.Mul, sizes.MatDim, sizes.Elementwise, sizes.Batch);
        var x = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Values(n, n) : null, n);
        var y = EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? Values(n, n) : null, n);
        var a = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Values(d * d, d, d) : null, d, d);
        var b = EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? Values(d * d, d, d) : null, d, d);
        var r = session.Share(0, session.Rank == 0 ? Values(m, m) : null, m);
        var positive = session.Share(0, session.Rank == 0 ? Tensor.FromArray(Enumerable.Range(0, m).Select(_ => 0.5 + (random.NextDouble() * 50)).ToArray(), m) : null, m);

        // MLP 784-128-10 inference: the model's owner (party 0) encrypts the weights, the client (party 1) the images; only
        // the client learns the logits. The owner tiles the bias over the batch before encrypting it (the batch size is public).
        var w1 = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Values(784 * 128, 784, 128) : null, 784, 128);
        var bias = Values(128, 128);
        var b1 = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Tensor.Stack([.. Enumerable.Repeat(bias!, batch)]) : null, batch, 128);
        var w2 = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Values(128 * 10, 128, 10) : null, 128, 10);
        var images = EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? Values(batch * 784, batch, 784) : null, batch, 784);

        // Logistic regression: Alice (party 0) holds the first half of the synthetic patients, Bob (party 1) the second.
        var patients = SyntheticPatients.Generate(sizes.LogisticRows, LogisticFeatures, seed: 5);
        var half = sizes.LogisticRows / 2;
        var rows = EncryptedLogisticRegression.ConcatRows(
            EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? patients.FeatureRows(0, half) : null, half, LogisticFeatures),
            EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? patients.FeatureRows(half, half) : null, half, LogisticFeatures));
        var labels = EncryptedLogisticRegression.ConcatRows(
            EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? patients.LabelRows(0, half) : null, half, 1),
            EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? patients.LabelRows(half, half) : null, half, 1));
        var regression = new EncryptedLogisticRegression(session, LogisticFeatures, LogisticOptions);

        return
        [
            ($"mul {Scientific(n)} (with truncation)", async () => (await x.MulAsync(y, cancellationToken).ConfigureAwait(false)).Shares),
            ($"truncation {Scientific(n)} (one opening, mul's floor)", async () => await session.TruncateAsync(x.Shares, 16, cancellationToken).ConfigureAwait(false)),
            ($"matmul {d}x{d}x{d} (with truncation)", async () => (await a.MatMulAsync(b, cancellationToken).ConfigureAwait(false)).Shares),
            ($"ReLU {Scientific(m)}", async () => await session.ReluAsync(r, cancellationToken).ConfigureAwait(false)),
            ($"sigmoid {Scientific(m)}", async () => await session.SigmoidAsync(r, cancellationToken: cancellationToken).ConfigureAwait(false)),
            ($"exp {Scientific(m)}", async () => await session.ExpAsync(r, cancellationToken: cancellationToken).ConfigureAwait(false)),
            ($"reciprocal {Scientific(m)}", async () => await session.ReciprocalAsync(positive, cancellationToken: cancellationToken).ConfigureAwait(false)),
            ($"MLP 784-128-10 inference, batch {batch}", async () =>
            {
                var hidden = await images.MatMulAsync(w1, cancellationToken).ConfigureAwait(false);
                hidden = await hidden.Add(b1).ReluAsync(cancellationToken).ConfigureAwait(false);
                var logits = await hidden.MatMulAsync(w2, cancellationToken).ConfigureAwait(false);
                await logits.DecryptToAsync(1, cancellationToken).ConfigureAwait(false);
                return logits.Shares;
            }),
            ($"logistic regression epoch ({sizes.LogisticRows}x{LogisticFeatures}, batch {LogisticOptions.BatchSize})", async () =>
            {
                await regression.TrainEpochAsync(rows, labels, cancellationToken).ConfigureAwait(false);
                return regression.Weights.Shares;
            }),
        ];

        static string Scientific(int count) => count == 1000 ? "1e3" : count == 100_000 ? "1e5" : count == 1_000_000 ? "1e6" : count.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Waits until the runtime's background compiler has been idle for <see cref="JitQuiet"/> (at most
    /// <see cref="JitWaitLimit"/>): methods the warm-up made hot are recompiled optimised in the background, on the same
    /// two cores the timed lines need.
    /// </summary>
    private static async Task WaitForCompilerAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var quiet = Stopwatch.StartNew();
        var compiled = JitInfo.GetCompiledMethodCount();
        while (quiet.Elapsed < JitQuiet && waited.Elapsed < JitWaitLimit)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            var now = JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                (compiled, quiet) = (now, Stopwatch.StartNew());
            }
        }
    }

    public async Task RunDealerAsync(TrustedDealer dealer, CancellationToken cancellationToken)
    {
        if (Mode == DealerMode.OnRequest)
        {
            await dealer.ServeRequestsAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var (sizes, passes) in WarmUp)
        {
            for (var pass = 0; pass < passes; pass++)
            {
                await ServeLinesAsync(dealer, sizes, 1, cancellationToken).ConfigureAwait(false);
            }
        }

        await ServeLinesAsync(dealer, Timed, Repeats, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The scripted dealer's side of <see cref="Lines"/>: every line's material, <paramref name="repeats"/> times each.</summary>
    private static async Task ServeLinesAsync(TrustedDealer dealer, Workload sizes, int repeats, CancellationToken cancellationToken)
    {
        var (n, d, m, batch) = (sizes.Mul, sizes.MatDim, sizes.Elementwise, sizes.Batch);
        await RepeatAsync(async () =>
        {
            await dealer.ServeTripleAsync(TripleRequest.Elementwise(n), cancellationToken).ConfigureAwait(false);
            await dealer.ServeTruncationPairAsync(n, 16, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        await RepeatAsync(() => dealer.ServeTruncationPairAsync(n, 16, cancellationToken)).ConfigureAwait(false);
        await RepeatAsync(async () =>
        {
            await dealer.ServeTripleAsync(TripleRequest.MatMul(d, d, d), cancellationToken).ConfigureAwait(false);
            await dealer.ServeTruncationPairAsync(d * d, 16, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        await RepeatAsync(() => dealer.ServeReluAsync(m, cancellationToken)).ConfigureAwait(false);
        await RepeatAsync(() => dealer.ServeSigmoidAsync(m, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await RepeatAsync(() => dealer.ServeExpAsync(m, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await RepeatAsync(() => dealer.ServeReciprocalAsync(m, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await RepeatAsync(async () =>
        {
            await dealer.ServeMatMulAsync(batch, 784, 128, cancellationToken: cancellationToken).ConfigureAwait(false);
            await dealer.ServeReluAsync(batch * 128, cancellationToken).ConfigureAwait(false);
            await dealer.ServeMatMulAsync(batch, 128, 10, cancellationToken: cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        await RepeatAsync(() => dealer.ServeLogisticRegressionAsync(sizes.LogisticRows, LogisticFeatures, 1, LogisticOptions, cancellationToken: cancellationToken))
            .ConfigureAwait(false);

        async Task RepeatAsync(Func<ValueTask> serve)
        {
            for (var repeat = 0; repeat < repeats; repeat++)
            {
                await serve().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The sizes of the bench's lines.</summary>
    private sealed record Workload(int Mul, int MatDim, int Elementwise, int Batch, int LogisticRows);
}
