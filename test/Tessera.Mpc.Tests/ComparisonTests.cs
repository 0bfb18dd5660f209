using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;
using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Tests;

/// <summary>
/// Sign, comparisons, ReLU, abs, max and min against plaintext on fixed-point values with |x| &lt; 2^20 (16 fractional
/// bits), including zero, ties, one-ulp differences and negative numbers, 2 and 3 parties plus a dealer. Every result is
/// exact: comparisons are bits, and ReLU, abs, max and min equal the plaintext function of the encoded inputs.
/// </summary>
public sealed class ComparisonTests
{
    private const double Range = 1 << 20;
    private const double Ulp = 1.0 / 65536;

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task LessThanZeroAsync_MatchesSignOfWholeRingInEightRounds(int parties)
    {
        const int n = 200;
        var (shares, secrets) = ConversionTests.RingShares(parties, n, seed: 31);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = new SharedTensor(session, shares[session.Rank], [n], 16);
            var before = session.Communicator.Statistics;
            var (rounds, bytes) = (before.Rounds, before.BytesSent);
            var negative = await session.LessThanZeroAsync(x);
            (rounds, bytes) = (before.Rounds - rounds, before.BytesSent - bytes);
            return (rounds, bytes, Bits: await session.RevealRingAsync(negative));
        }, dealer => dealer.ServeLessThanZeroAsync(n).AsTask());

        Assert.All(run.Results, r => Assert.Equal(secrets.Select(s => s >> 63), r.Bits));
        Assert.All(run.Results, r => Assert.Equal(8, r.rounds));
        // The packed carry tree: 394 AND words for 200 elements (levels of 2 x 100, 2 x 50, 2 x 25, 2 x 13, 2 x 7, 4), of
        // which each party opens 593 words: per level the shared left half once and both right halves (3 x 195), then 2 x 4.
        Assert.Equal(394, SignBit.AndWords(n));
        Assert.Equal(593, SignBit.OpenedWords(n));
        Assert.All(run.Results, r => Assert.Equal(((8L * n) + (8 * 593) + (8 * 4)) * (parties - 1), r.bytes));
        Assert.Equal(
            [8 * n, 8 * 394, 8 * n],
            run.Log.Where(m => m.From == run.Dealer && m.Operation != "setup").Select(m => m.Bytes));
        Assert.DoesNotContain(run.Log, m => m.To == run.Dealer);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Comparisons_MatchPlaintextIncludingTiesAndZero(int parties)
    {
        var (xs, ys) = Operands(seed: 32);
        var n = xs.Length;
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var (x, y) = ShareBoth(session, xs, ys);
            var results = new List<double[]>();
            foreach (var compare in new Func<ValueTask<SharedTensor>>[]
            {
                () => session.LessThanZeroAsync(x),
                () => session.LessThanAsync(x, y),
                () => session.GreaterThanAsync(x, y),
                () => session.LessEqualAsync(x, y),
                () => session.GreaterEqualAsync(x, y),
                () => session.EqualAsync(x, y),
            })
            {
                var rounds = session.Communicator.Statistics.Rounds;
                var bits = await compare();
                Assert.Equal(8, session.Communicator.Statistics.Rounds - rounds);
                Assert.Equal(0, bits.FractionalBits);
                results.Add((await session.RevealAsync(bits)).ToArray<double>());
            }

            return results;
        }, async dealer =>
        {
            for (var i = 0; i < 5; i++)
            {
                await dealer.ServeLessThanZeroAsync(n);
            }

            await dealer.ServeEqualAsync(n);
        });

        var q = xs.Select(v => MpcHarness.Quantize(v)).ToArray();
        var r = ys.Select(v => MpcHarness.Quantize(v)).ToArray();
        var bit = (bool b) => b ? 1.0 : 0.0;
        foreach (var results in run.Results)
        {
            Assert.Equal(q.Select(a => bit(a < 0)), results[0]);
            Assert.Equal(q.Zip(r, (a, b) => bit(a < b)), results[1]);
            Assert.Equal(q.Zip(r, (a, b) => bit(a > b)), results[2]);
            Assert.Equal(q.Zip(r, (a, b) => bit(a <= b)), results[3]);
            Assert.Equal(q.Zip(r, (a, b) => bit(a >= b)), results[4]);
            Assert.Equal(q.Zip(r, (a, b) => bit(a == b)), results[5]);
        }

        Assert.Contains(run.Results[0][5], v => v == 1.0);
        Assert.Contains(run.Results[0][5], v => v == 0.0);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ReluAbsMaxMin_MatchPlaintextExactlyInEightRounds(int parties)
    {
        var (xs, ys) = Operands(seed: 33);
        var n = xs.Length;
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var (x, y) = ShareBoth(session, xs, ys);
            var results = new List<double[]>();
            foreach (var op in new Func<ValueTask<SharedTensor>>[]
            {
                () => session.ReluAsync(x),
                () => session.AbsAsync(x),
                () => session.MaxAsync(x, y),
                () => session.MinAsync(x, y),
            })
            {
                var rounds = session.Communicator.Statistics.Rounds;
                var bytes = session.Communicator.Statistics.BytesSent;
                var z = await op();
                Assert.Equal(8, session.Communicator.Statistics.Rounds - rounds);

                // The masked opening and the sign tree, then x - a and the masked bits in one message (bit injection).
                var expected = (8L * n) + (8L * SignBit.OpenedWords(n)) + (8L * n) + (8 * ((n + 63) / 64));
                Assert.Equal(expected * (parties - 1), session.Communicator.Statistics.BytesSent - bytes);
                Assert.Equal(16, z.FractionalBits);
                results.Add((await session.RevealAsync(z)).ToArray<double>());
            }

            return results;
        }, async dealer =>
        {
            for (var i = 0; i < 4; i++)
            {
                await dealer.ServeReluAsync(n);
            }
        });

        var q = xs.Select(v => MpcHarness.Quantize(v)).ToArray();
        var r = ys.Select(v => MpcHarness.Quantize(v)).ToArray();
        foreach (var results in run.Results)
        {
            Assert.Equal(q.Select(a => Math.Max(a, 0)), results[0]);
            Assert.Equal(q.Select(Math.Abs), results[1]);
            Assert.Equal(q.Zip(r, Math.Max), results[2]);
            Assert.Equal(q.Zip(r, Math.Min), results[3]);
        }
    }

    /// <summary>Uniform values in (-2^20, 2^20), then zero, ties, one-ulp gaps, the range's ends and opposite signs.</summary>
    internal static (double[] X, double[] Y) Operands(int seed)
    {
        var xs = MpcHarness.Uniform(150, -Range, Range, seed);
        var ys = MpcHarness.Uniform(150, -Range, Range, seed + 1);
        double[] edgeX = [0, 0, 1, -1, 5.5, -5.5, Ulp, -Ulp, 3, 3 + Ulp, Range - Ulp, -Range + Ulp, 7.25, -0.5, 1e-3];
        double[] edgeY = [0, Ulp, 1, -1, 5.5, -5.5, 0, 0, 3 + Ulp, 3, -Range + Ulp, Range - Ulp, -7.25, 0.5, -1e-3];
        edgeX.CopyTo(xs, 0);
        edgeY.CopyTo(ys, 0);
        for (var i = 140; i < 150; i++)
        {
            ys[i] = xs[i];
        }

        return (xs, ys);
    }

    private static (SharedTensor X, SharedTensor Y) ShareBoth(MpcSession session, double[] xs, double[] ys)
    {
        var n = xs.Length;
        var last = session.Parties - 1;
        var x = session.Share(0, session.Rank == 0 ? Tensor.FromArray(xs, n) : null, n);
        var y = session.Share(last, session.Rank == last ? Tensor.FromArray(ys, n) : null, n);
        return (x, y);
    }
}
