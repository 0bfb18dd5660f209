using Tessera.Mpc.Protocols;

namespace Tessera.Mpc.Tests;

/// <summary>XOR sharing, the local binary operations and the AND protocol against plaintext, 2 and 3 parties plus a dealer.</summary>
public sealed class BinaryProtocolTests
{
    [Theory]
    [InlineData(2, 0)]
    [InlineData(3, 2)]
    public async Task ShareBinaryThenReveal_ReturnsWordsWithoutTrafficForSharing(int parties, int owner)
    {
        var words = RandomWords(40, seed: 11);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var before = session.Communicator.Statistics.BytesSent;
            var x = session.ShareBinary(owner, session.Rank == owner ? words : null, 4, 10);
            var sharingBytes = session.Communicator.Statistics.BytesSent - before;
            return (sharingBytes, Revealed: await session.RevealBinaryAsync(x), x.Share);
        }, MpcHarness.NoDealerWork);

        Assert.All(run.Results, r => Assert.Equal(0, r.sharingBytes));
        Assert.All(run.Results, r => Assert.Equal(words, r.Revealed));
        Assert.All(run.Results, r => Assert.NotEqual(words, r.Share));
        Assert.Equal(8 * 40 * (parties - 1) * parties, run.Sent("reveal").Sum(m => m.Bytes));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task LocalOperations_MatchPlaintext(int parties)
    {
        var xs = RandomWords(33, seed: 12);
        var ys = RandomWords(33, seed: 13);
        var ps = RandomWords(33, seed: 14);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = session.ShareBinary(0, session.Rank == 0 ? xs : null, 33);
            var y = session.ShareBinary(parties - 1, session.Rank == parties - 1 ? ys : null, 33);
            var results = new List<ulong[]>();
            foreach (var shared in new[]
            {
                BinarySharing.Xor(x, y), BinarySharing.XorPublic(x, ps), BinarySharing.AndPublic(x, ps), BinarySharing.Not(x),
            })
            {
                results.Add(await session.RevealBinaryAsync(shared));
            }

            return results;
        }, MpcHarness.NoDealerWork);

        foreach (var results in run.Results)
        {
            Assert.Equal(xs.Zip(ys, (a, b) => a ^ b), results[0]);
            Assert.Equal(xs.Zip(ps, (a, b) => a ^ b), results[1]);
            Assert.Equal(xs.Zip(ps, (a, b) => a & b), results[2]);
            Assert.Equal(xs.Select(a => ~a), results[3]);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task AndAsync_MatchesPlaintextInOneRoundWithDealerCorrectionOnly(int parties)
    {
        const int n = 257;
        var xs = RandomWords(n, seed: 15);
        var ys = RandomWords(n, seed: 16);
        xs[0] = 0;
        ys[1] = ulong.MaxValue;
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = session.ShareBinary(0, session.Rank == 0 ? xs : null, n);
            var y = session.ShareBinary(1, session.Rank == 1 ? ys : null, n);
            var z = await session.AndAsync(x, y);
            return await session.RevealBinaryAsync(z);
        }, dealer => dealer.ServeAndTripleAsync(n).AsTask());

        Assert.All(run.Results, r => Assert.Equal(xs.Zip(ys, (a, b) => a & b), r));
        var others = parties - 1;
        for (var rank = 0; rank < parties; rank++)
        {
            var and = run.Communicators[rank].Statistics.ByOperation["and"];
            Assert.Equal(1, and.Rounds);
            Assert.Equal(16L * n * others, and.BytesSent);
        }

        var dealerSends = run.Log.Where(m => m.From == run.Dealer && m.Operation == "and-triple").ToArray();
        Assert.Single(dealerSends);
        Assert.Equal(0, dealerSends[0].To); // Request 0: its correction goes to party 0 mod N.
        Assert.Equal(8 * n, dealerSends[0].Bytes);
        Assert.DoesNotContain(run.Log, m => m.To == run.Dealer);
        run.AssertCorrectionsRotate();
    }

    internal static ulong[] RandomWords(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63)).ToArray();
    }
}
