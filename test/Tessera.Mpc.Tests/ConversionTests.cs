using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;
using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Tests;

/// <summary>
/// Arithmetic-to-binary and bit-to-arithmetic conversions against plaintext over the whole ring (shares drawn uniformly,
/// so the secrets cover every magnitude and sign, plus 0, 1, -1, 2^63 and 2^63 - 1), 2 and 3 parties plus a dealer.
/// </summary>
public sealed class ConversionTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ToBinaryAsync_RevealsEveryRingElementExactlyInSevenRounds(int parties)
    {
        const int n = 300;
        var (shares, secrets) = RingShares(parties, n, seed: 21);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = new SharedTensor(session, shares[session.Rank], [n], 16);
            var rounds = session.Communicator.Statistics.Rounds;
            var binary = await session.ToBinaryAsync(x);
            rounds = session.Communicator.Statistics.Rounds - rounds;
            return (rounds, Words: await session.RevealBinaryAsync(binary));
        }, dealer => dealer.ServeToBinaryAsync(n).AsTask());

        Assert.All(run.Results, r => Assert.Equal(secrets, r.Words));
        Assert.All(run.Results, r => Assert.Equal(7, r.rounds));
        var others = parties - 1;
        for (var rank = 0; rank < parties; rank++)
        {
            var stats = run.Communicators[rank].Statistics.ByOperation;
            Assert.Equal(1, stats["a2b"].Rounds);
            Assert.Equal(8L * n * others, stats["a2b"].BytesSent);
            Assert.Equal(6, stats["and"].Rounds);
            Assert.Equal(16L * 11 * n * others, stats["and"].BytesSent);
        }

        Assert.Equal(
            [8 * n, 8 * 11 * n],
            run.Log.Where(m => m.From == run.Dealer && m.Operation != "setup").Select(m => m.Bytes));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task BitToArithmeticAsync_ReturnsBitZeroInOneRound(int parties)
    {
        const int n = 130;
        var words = BinaryProtocolTests.RandomWords(n, seed: 22);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var bits = session.ShareBinary(parties - 1, session.Rank == parties - 1 ? words : null, n);
            var arithmetic = await session.BitToArithmeticAsync(bits);
            return await session.RevealRingAsync(arithmetic);
        }, dealer => dealer.ServeBitToArithmeticAsync(n).AsTask());

        Assert.All(run.Results, r => Assert.Equal(words.Select(w => w & 1), r));
        Assert.Contains(words, w => (w & 1) == 0);
        Assert.Contains(words, w => (w & 1) == 1);
        for (var rank = 0; rank < parties; rank++)
        {
            var b2a = run.Communicators[rank].Statistics.ByOperation["b2a"];
            Assert.Equal(1, b2a.Rounds);
            Assert.Equal(8L * 3 * (parties - 1), b2a.BytesSent);
        }
    }

    /// <summary>Uniform shares of uniform secrets, with the edge values placed first.</summary>
    internal static (ulong[][] Shares, ulong[] Secrets) RingShares(int parties, int n, int seed)
    {
        var secrets = BinaryProtocolTests.RandomWords(n, seed);
        ulong[] edges = [0, 1, ulong.MaxValue, 1UL << 63, (1UL << 63) - 1, 1UL << 62];
        edges.CopyTo(secrets, 0);
        var shares = new ulong[parties][];
        var last = (ulong[])secrets.Clone();
        for (var rank = 0; rank < parties - 1; rank++)
        {
            shares[rank] = BinaryProtocolTests.RandomWords(n, seed + 100 + rank);
            RingKernels.Subtract(last, shares[rank], last);
        }

        shares[parties - 1] = last;
        return (shares, secrets);
    }
}
