using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;
using Tessera.Mpc.Sharing;
using Xunit.Abstractions;

namespace Tessera.Mpc.Tests;

/// <summary>
/// exp, reciprocal, sigmoid and tanh on grids over their stated ranges against Math.Exp and friends, 2 parties plus a
/// dealer (sigmoid also with 3), asserting the maximum errors stated in PROTOCOLS.md (each far tighter than CrypTen's
/// test tolerance of relative 0.5 or absolute 0.1) and the round counts.
/// </summary>
public sealed class ApproximationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ExpAsync_DefaultEightSquarings_WithinStatedErrorOnMinus256To12()
    {
        var xs = Grid(-256, 12, 500).Concat(Grid(-4, 4, 81)).ToArray();
        var (ys, rounds, partyBytes, dealerBytes) = await RunWithTrafficAsync(2, xs, (s, x) => s.ExpAsync(x), d => d.ServeExpAsync(xs.Length));
        // One opening per squaring (squaring truncation pairs) plus the base's: 9 x 8n. The dealer: per squaring pair 16n
        // plus two wrap shares of ceil(s / 8) bytes (the base's shift 2: 1 byte; seven squarings at 22 bits: 3 bytes), and
        // the last truncation (by 28) 8n + 4n.
        Assert.Equal(72L * xs.Length, partyBytes);
        Assert.Equal((18L + (7 * 22) + 12) * xs.Length, dealerBytes);

        // The limit approximation loses about x^2 / 2^(n+1) relative (17.7% at x = 10, 24% at 12) plus a little rounding.
        var worst = Report("exp n=8", xs, ys, Math.Exp, relativeAbove: 0.05);
        Assert.Equal(9, rounds);
        Assert.All(xs.Zip(ys), p => Assert.True(
            Within(p.Second, Math.Exp(p.First), relative: ExpBound(p.First, 256) + 2e-4, absolute: 1e-4),
            $"exp({p.First}) = {p.Second}, expected {Math.Exp(p.First)}"));
        Assert.True(worst.Relative < 0.25);
    }

    [Fact]
    public async Task ExpAsync_TwelveSquarings_IsTighterOnMinus16To10()
    {
        var options = new ExpOptions { Iterations = 12, ExtraFractionalBits = 8 };
        var xs = Grid(-16, 9.5, 300);
        var (ys, rounds) = await RunAsync(2, xs, (s, x) => s.ExpAsync(x, options), d => d.ServeExpAsync(xs.Length, 16, options));

        var worst = Report("exp n=12", xs, ys, Math.Exp, relativeAbove: 0.05);
        Assert.Equal(13, rounds);
        Assert.All(xs.Zip(ys), p => Assert.True(
            Within(p.Second, Math.Exp(p.First), relative: ExpBound(p.First, 4096) + 2e-3, absolute: 1e-4),
            $"exp({p.First}) = {p.Second}, expected {Math.Exp(p.First)}"));
        Assert.True(worst.Relative < 0.015);
    }

    [Fact]
    public async Task ReciprocalAsync_TenNewtonSteps_WithinStatedErrorOnPointOneTo100()
    {
        var xs = Enumerable.Range(0, 300).Select(i => 0.1 * Math.Pow(1000, i / 299.0)).ToArray();
        var (ys, rounds) = await RunAsync(2, xs, (s, x) => s.ReciprocalAsync(x), d => d.ServeReciprocalAsync(xs.Length));

        var worst = Report("reciprocal", xs, ys, v => 1 / v, relativeAbove: 0);
        Assert.Equal(9 + 30, rounds);
        Assert.True(worst.Relative < 2e-3, $"relative error {worst.Relative}");
        Assert.All(xs.Zip(ys), p => Assert.True(
            Within(p.Second, 1 / p.First, relative: 2e-4, absolute: 3e-5), $"1/{p.First} = {p.Second}"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task SigmoidAsync_AnyInput_Within1Point2ThousandthsAbsolute(int parties)
    {
        var xs = Grid(-20, 20, 401).Concat([0, 1e-4, -1e-4, 255.9, -255.9, 256, -256, 300, -300, 1e5, -1e5]).ToArray();
        var (ys, rounds, partyBytes, dealerBytes) = await RunWithTrafficAsync(
            parties, xs, (s, x) => s.SigmoidAsync(x), d => d.ServeSigmoidAsync(xs.Length));
        var n = (long)xs.Length;
        var andWords = (long)SignBit.AndWords(xs.Length);
        var openedWords = (long)SignBit.OpenedWords(xs.Length);
        var injection = (8 * n) + (8 * ((n + 63) / 64));
        // Two sign trees (8n + 8 per opened AND word each) each with a bit injection (x - a and the masked bits), exp (9 openings,
        // its last truncation a squaring one), d d^2, the guess's truncation, one Newton step of two products and a
        // truncation by 2f, the final bit injection.
        Assert.Equal(((2 * ((8 * n) + (8 * openedWords))) + (3 * injection) + ((72 + 16 + 8 + 40) * n)) * (parties - 1), partyBytes);
        // The dealer: per sign tree edaBits (8n) and AND triples (8 per word), per bit injection bit products (16n); exp's
        // squarings (184n less its last truncation's 12n) and its last truncation as a squaring pair by 2W - f = 28
        // (16n + 2 x 4n), the triple for d^3, the guess's truncation by 61 - f = 45 (8n + 6n), one Newton step (two triples,
        // a truncation by 2f: 16n + 8n + 4n).
        Assert.Equal(
            (2 * ((8 * n) + (8 * andWords))) + (3 * 16 * n) + (((184 - 12) + 24 + 8 + 14 + 28) * n),
            dealerBytes);

        var worst = Report($"sigmoid {parties}p", xs, ys, Sigmoid, relativeAbove: double.PositiveInfinity);
        Assert.Equal(7 + 1 + 7 + 1 + 9 + 1 + 1 + 3 + 1, rounds);
        Assert.True(worst.Absolute < 1.2e-3, $"absolute error {worst.Absolute}");
    }

    [Fact]
    public async Task SigmoidAsync_CubicGuessAlone_WithinItsOwnBoundAndTwoRoundsFewer()
    {
        // No Newton step: r = P(d) is within 1/577 (1.7e-3) relative of 1 / d, plus the rounding of the factor 32/577 at
        // 61 - 3f = 13 bits (up to 1.1e-3 relative; a Newton step squares both away), besides exp's error; the run saves
        // the step's 3 rounds.
        var options = new SigmoidOptions { ReciprocalIterations = 0 };
        var xs = Grid(-12, 12, 241);
        var (ys, rounds) = await RunAsync(2, xs, (s, x) => s.SigmoidAsync(x, options), d => d.ServeSigmoidAsync(xs.Length, 16, options));

        var worst = Report("sigmoid, cubic guess only", xs, ys, Sigmoid, relativeAbove: double.PositiveInfinity);
        Assert.Equal(7 + 1 + 7 + 1 + 9 + 1 + 1 + 1, rounds);
        Assert.True(worst.Absolute < 2.7e-3, $"absolute error {worst.Absolute}");
    }

    [Fact]
    public void SigmoidOptions_NegativeNewtonSteps_AreRefusedByName()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SigmoidOptions { ReciprocalIterations = -1 }.Validate(16));
        Assert.Equal("ReciprocalIterations", ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SigmoidOptions { ReciprocalIterations = 17 }.Validate(16));
    }

    [Fact]
    public async Task TanhAsync_AnyInput_Within2Point5ThousandthsAbsolute()
    {
        var xs = Grid(-10, 10, 201).Concat([0, 200, -200, 1e4, -1e4]).ToArray();
        var (ys, _) = await RunAsync(2, xs, (s, x) => s.TanhAsync(x), d => d.ServeSigmoidAsync(xs.Length));

        var worst = Report("tanh", xs, ys, Math.Tanh, relativeAbove: double.PositiveInfinity);
        Assert.True(worst.Absolute < 2.5e-3, $"absolute error {worst.Absolute}");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    public async Task InverseSqrtAndSqrt_WithinMeasuredErrorOnPointOneTo100(int iterations)
    {
        var options = new InverseSqrtOptions { Iterations = iterations };
        var xs = Enumerable.Range(0, 200).Select(i => 0.1 * Math.Pow(1000, i / 199.0)).ToArray();
        var (inverse, rounds) = await RunAsync(
            2, xs, (s, x) => s.InverseSqrtAsync(x, options), d => d.ServeInverseSqrtAsync(xs.Length, 16, options));
        var (roots, _) = await RunAsync(2, xs, (s, x) => s.SqrtAsync(x, options), d => d.ServeSqrtAsync(xs.Length, 16, options));

        var worstInverse = Report($"inverse sqrt it={iterations}", xs, inverse, v => 1 / Math.Sqrt(v), relativeAbove: 0);
        var worstRoot = Report($"sqrt it={iterations}", xs, roots, Math.Sqrt, relativeAbove: 0);
        Assert.Equal(9 + 1 + (6 * iterations), rounds);
        var bound = iterations == 3 ? 0.01 : 1e-3;
        Assert.True(worstInverse.Relative < bound, $"relative error {worstInverse.Relative}");
        Assert.True(worstRoot.Relative < bound, $"relative error {worstRoot.Relative}");
    }

    [Fact]
    public async Task ExpAsync_SharesAtAnotherScale_Throws()
    {
        await MpcHarness.RunAsync(2, async session =>
        {
            var x = session.Share(0, session.Rank == 0 ? Tensor.FromArray(new[] { 1.0 }, 1) : null, 1);
            var product = await session.MulAsync(x, x);
            await Assert.ThrowsAsync<ArgumentException>(() => session.ExpAsync(product).AsTask());
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
                () => session.ExpAsync(x, new ExpOptions { Iterations = 0 }).AsTask());
            return 0;
        }, dealer => dealer.ServeTripleAsync(TripleRequest.Elementwise(1)).AsTask());
    }

    /// <summary>The limit approximation's own relative error bound for m = 2^n: 1 - exp(-x^2 / (2m) + x^3 / (3m^2)) for x &gt; 0.</summary>
    internal static double ExpBound(double x, double m) =>
        Math.Abs(1 - Math.Exp((m * Math.Log(1 + (x / m))) - x));

    internal static double[] Grid(double low, double high, int count) =>
        Enumerable.Range(0, count).Select(i => low + ((high - low) * i / (count - 1))).ToArray();

    internal static async Task<(double[] Values, long Rounds)> RunAsync(
        int parties, double[] xs, Func<MpcSession, SharedTensor, ValueTask<SharedTensor>> function, Func<TrustedDealer, ValueTask> dealer)
    {
        var (values, rounds, _, _) = await RunWithTrafficAsync(parties, xs, function, dealer);
        return (values, rounds);
    }

    /// <summary>Also returns the bytes party 0 sent during the function and the bytes the dealer sent after set-up.</summary>
    internal static async Task<(double[] Values, long Rounds, long PartyBytes, long DealerBytes)> RunWithTrafficAsync(
        int parties, double[] xs, Func<MpcSession, SharedTensor, ValueTask<SharedTensor>> function, Func<TrustedDealer, ValueTask> dealer)
    {
        var n = xs.Length;
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = session.Share(0, session.Rank == 0 ? Tensor.FromArray(xs, n) : null, n);
            var before = session.Communicator.Statistics.Rounds;
            var bytes = session.Communicator.Statistics.BytesSent;
            var y = await function(session, x);
            var rounds = session.Communicator.Statistics.Rounds - before;
            bytes = session.Communicator.Statistics.BytesSent - bytes;
            Assert.Equal(16, y.FractionalBits);
            return (Values: (await session.RevealAsync(y)).ToArray<double>(), Rounds: rounds, Bytes: bytes);
        }, d => dealer(d).AsTask());
        Assert.All(run.Results, r => Assert.Equal(run.Results[0].Values, r.Values));
        Assert.DoesNotContain(run.Log, m => m.To == run.Dealer);
        run.AssertCorrectionsRotate();
        var dealerBytes = run.Log.Where(m => m.From == run.Dealer && m.Operation != "setup").Sum(m => (long)m.Bytes);
        return (run.Results[0].Values, run.Results[0].Rounds, run.Results[0].Bytes, dealerBytes);
    }

    private static bool Within(double actual, double expected, double relative, double absolute) =>
        Math.Abs(actual - expected) <= absolute + (relative * Math.Abs(expected));

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>Prints and returns the largest absolute error and the largest relative error where |expected| exceeds
    /// <paramref name="relativeAbove"/>.</summary>
    private (double Absolute, double Relative) Report(string name, double[] xs, double[] ys, Func<double, double> exact, double relativeAbove)
    {
        double absolute = 0, relative = 0, atAbsolute = 0, atRelative = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            var expected = exact(xs[i]);
            var error = Math.Abs(ys[i] - expected);
            if (error > absolute)
            {
                (absolute, atAbsolute) = (error, xs[i]);
            }

            if (Math.Abs(expected) > relativeAbove && error / Math.Abs(expected) > relative)
            {
                (relative, atRelative) = (error / Math.Abs(expected), xs[i]);
            }
        }

        output.WriteLine($"{name}: max absolute {absolute:G3} at {atAbsolute:G4}, max relative {relative:G3} at {atRelative:G4}");
        return (absolute, relative);
    }
}
