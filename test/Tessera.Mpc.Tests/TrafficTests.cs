using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;

namespace Tessera.Mpc.Tests;

/// <summary>
/// Bytes and rounds per operation are as documented, and the dealer receives nothing: not a party's input, not a masked
/// value, not even a set-up message.
/// </summary>
public sealed class TrafficTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Operations_SendDocumentedBytesAndRounds(int parties)
    {
        const int n = 1000, m = 8, k = 16, p = 4;
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = session.Share(0, session.Rank == 0 ? Tensor.Ones([n], DType.Float64) : null, n);
            var product = await session.MulAsync(x, x);
            await session.RescaleAsync(product);
            var a = session.Share(0, session.Rank == 0 ? Tensor.Ones([m, k], DType.Float64) : null, m, k);
            var b = session.Share(1, session.Rank == 1 ? Tensor.Ones([k, p], DType.Float64) : null, k, p);
            await session.MatMulAsync(a, b);
            return 0;
        }, async dealer =>
        {
            await dealer.ServeTripleAsync(TripleRequest.Elementwise(n));
            await dealer.ServeTruncationPairAsync(n, 16);
            await dealer.ServeTripleAsync(TripleRequest.MatMul(m, k, p));
        });

        var others = parties - 1;

        // Request r (mul triple, truncation pairs, matmul triple) sends its correction to party r mod N; a truncation pair's
        // is r >> s in 8 bytes and msb(r) in its low s = 16 bits.
        var corrections = new[] { n * 8L, n * 10L, (long)m * p * 8 };
        for (var rank = 0; rank < parties; rank++)
        {
            var stats = run.Communicators[rank].Statistics.ByOperation;
            Assert.Equal(2L * n * 8 * others, stats["mul"].BytesSent);
            Assert.Equal(1, stats["mul"].Rounds);
            Assert.Equal((long)n * 8 * others, stats["truncate"].BytesSent);
            Assert.Equal(1, stats["truncate"].Rounds);
            Assert.Equal((long)((m * k) + (k * p)) * 8 * others, stats["matmul"].BytesSent);
            Assert.Equal(1, stats["matmul"].Rounds);
            var fromDealer = Enumerable.Range(0, corrections.Length).Where(r => r % parties == rank).Sum(r => corrections[r]);
            Assert.Equal(fromDealer, run.Communicators[rank].Statistics.BytesReceived
                - (2L * n * 8 * others) - ((long)n * 8 * others) - ((long)((m * k) + (k * p)) * 8 * others) - 16 - 16);
            foreach (var to in Enumerable.Range(0, parties).Where(r => r != rank))
            {
                Assert.Single(run.Log, msg => msg.From == rank && msg.To == to && msg.Operation == "mul" && msg.Bytes == 2 * n * 8);
            }
        }

        var dealerSends = run.Log.Where(msg => msg.From == run.Dealer).ToArray();
        Assert.Equal(parties + 3, dealerSends.Length);
        Assert.Equal(Enumerable.Range(0, 3).Select(r => r % parties), dealerSends.Where(msg => msg.Operation != "setup").Select(msg => msg.To));
        run.AssertCorrectionsRotate();
        Assert.Equal(new[] { n * 8, n * 10, m * p * 8 }, dealerSends.Where(msg => msg.Operation != "setup").Select(msg => msg.Bytes));
        Assert.All(dealerSends.Where(msg => msg.Operation == "setup"), msg => Assert.Equal(16, msg.Bytes));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Dealer_ReceivesNothing(int parties)
    {
        const int n = 100;
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = session.Share(0, session.Rank == 0 ? Tensor.Ones([n], DType.Float64) : null, n);
            var y = await session.RescaleAsync(await session.MulAsync(x, x));
            return await session.RevealAsync(y);
        }, async dealer =>
        {
            await dealer.ServeTripleAsync(TripleRequest.Elementwise(n));
            await dealer.ServeTruncationPairAsync(n, 16);
        });

        Assert.DoesNotContain(run.Log, msg => msg.To == run.Dealer);
        Assert.Equal(0, run.Communicators[run.Dealer].Statistics.BytesReceived);
        Assert.All(run.Results, r => Assert.All(r.ToArray<double>(), v => Assert.Equal(1.0, v)));
    }
}
