using Tessera.Mpc.Protocols;
using Xunit.Abstractions;

namespace Tessera.Mpc.Tests;

/// <summary>
/// The functions exposed on <see cref="EncryptedTensor"/> (exp, log, reciprocal, division, sigmoid, tanh, inverse sqrt,
/// sqrt, softmax, log-softmax, means) against plaintext doubles, 2 and 3 parties, f = 16, dealer on request. Each test
/// states its input range and asserted bound (all tighter than CrypTen's relative 0.5 / absolute 0.1) and prints the
/// measured maximum error (PROTOCOLS.md lists them).
/// </summary>
public sealed class EncryptedFunctionTests(ITestOutputHelper output)
{
    public static TheoryData<int> Parties => new() { 2, 3 };

    [Theory]
    [MemberData(nameof(Parties))]
    public async Task UnaryFunctions_MatchPlaintextWithinStatedBounds(int parties)
    {
        var positive = Grid(0.1, 100, 97).Concat(Grid(0.1, 2, 40)).ToArray();
        var signed = Grid(-10, 10, 81);
        var exps = Grid(-8, 4, 61);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var p = Encrypt(session, positive);
            var s = Encrypt(session, signed);
            var e = Encrypt(session, exps);
            return new[]
            {
                await (await e.ExpAsync()).DecryptAsync(),
                await (await p.LogAsync()).DecryptAsync(),
                await (await p.ReciprocalAsync()).DecryptAsync(),
                await (await s.SigmoidAsync()).DecryptAsync(),
                await (await s.TanhAsync()).DecryptAsync(),
                await (await p.InverseSqrtAsync()).DecryptAsync(),
                await (await p.SqrtAsync()).DecryptAsync(),
            };
        });

        var results = run.Results[0];
        Check("exp [-8, 4]", exps, results[0], Math.Exp, (x, err) => err <= ((ExpBound(x) + 2e-4) * Math.Exp(x)) + 1e-4);
        Check("log [0.1, 100]", positive, results[1], Math.Log, (_, err) => err <= 0.01);
        Check("reciprocal [0.1, 100]", positive, results[2], x => 1 / x, (x, err) => err <= (2e-4 / x) + 3e-5);
        Check("sigmoid [-10, 10]", signed, results[3], x => 1 / (1 + Math.Exp(-x)), (_, err) => err <= 1.2e-3);
        Check("tanh [-10, 10]", signed, results[4], Math.Tanh, (_, err) => err <= 2.5e-3);
        Check("inverse sqrt [0.1, 100]", positive, results[5], x => 1 / Math.Sqrt(x), (x, err) => err <= 0.01 / Math.Sqrt(x));
        Check("sqrt [0.1, 100]", positive, results[6], Math.Sqrt, (x, err) => err <= 0.01 * Math.Sqrt(x));
    }

    [Theory]
    [MemberData(nameof(Parties))]
    public async Task DivisionMeansAndSoftmax_MatchPlaintextWithinStatedBounds(int parties)
    {
        const int rows = 6, classes = 10;
        var numerators = MpcHarness.Uniform(40, -10, 10, seed: 71);
        var denominators = MpcHarness.Uniform(40, 0.5, 50, seed: 72);
        var logits = MpcHarness.Uniform(rows * classes, -8, 8, seed: 73);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var a = Encrypt(session, numerators);
            var b = EncryptedTensor.Encrypt(
                session, parties - 1, session.Rank == parties - 1 ? Tensor.FromArray(denominators, 40) : null, 40);
            var z = EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? Tensor.FromArray(logits, rows, classes) : null, rows, classes);
            return new[]
            {
                await (await a.DivAsync(b)).DecryptAsync(),
                await (await z.MeanAsync()).DecryptAsync(),
                await (await z.MeanAsync(0)).DecryptAsync(),
                await z.Sum(-1).DecryptAsync(),
                await (await z.SoftmaxAsync()).DecryptAsync(),
                await (await z.LogSoftmaxAsync()).DecryptAsync(),
            };
        });

        var r = run.Results[0];
        var quotient = numerators.Zip(denominators, (x, y) => x / y).ToArray();
        CheckValues("div [-10, 10] / [0.5, 50]", quotient, r[0], (i, err) => err <= (2e-3 * Math.Abs(quotient[i])) + 2e-4);
        var t = Tensor.FromArray(logits.Select(v => MpcHarness.Quantize(v)).ToArray(), rows, classes);
        CheckValues("mean", t.Mean().ToArray<double>(), r[1], (_, err) => err <= 1e-4);
        CheckValues("mean dim 0", t.Mean(0).ToArray<double>(), r[2], (_, err) => err <= 1e-4);
        CheckValues("sum dim -1", t.Sum(-1).ToArray<double>(), r[3], (_, err) => err <= 1e-9);
        CheckValues("softmax [-8, 8] x 10", t.Softmax(-1).ToArray<double>(), r[4], (_, err) => err <= 3e-3);
        CheckValues("log-softmax [-8, 8] x 10", t.LogSoftmax(-1).ToArray<double>(), r[5], (_, err) => err <= 0.02);
    }

    /// <summary>The limit approximation's own relative error, 1 - exp(256 ln(1 + x / 256) - x).</summary>
    private static double ExpBound(double x) => 1 - Math.Exp((256 * Math.Log(1 + (x / 256))) - x);

    private static double[] Grid(double low, double high, int count) =>
        Enumerable.Range(0, count).Select(i => low + ((high - low) * i / (count - 1))).ToArray();

    private static EncryptedTensor Encrypt(MpcSession session, double[] values) =>
        EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Tensor.FromArray(values, values.Length) : null, values.Length);

    private void Check(string what, double[] inputs, Tensor actual, Func<double, double> reference, Func<double, double, bool> ok)
    {
        var expected = inputs.Select(x => reference(MpcHarness.Quantize(x))).ToArray();
        CheckValues(what, expected, actual, (i, err) => ok(inputs[i], err));
    }

    private void CheckValues(string what, double[] expected, Tensor actual, Func<int, double, bool> ok)
    {
        var a = actual.Contiguous().ToArray<double>();
        Assert.Equal(expected.Length, a.Length);
        var worst = 0.0;
        var worstRelative = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var err = Math.Abs(a[i] - expected[i]);
            worst = Math.Max(worst, err);
            worstRelative = Math.Max(worstRelative, err / Math.Max(Math.Abs(expected[i]), 1e-12));
            Assert.True(ok(i, err), $"{what}[{i}]: expected {expected[i]}, got {a[i]}");
        }

        output.WriteLine($"{what}: max absolute error {worst:G3}, max relative {worstRelative:G3}");
    }
}
