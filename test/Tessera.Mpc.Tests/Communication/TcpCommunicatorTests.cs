using System.Diagnostics;
using Tessera.Mpc.Communication;
using Xunit.Abstractions;

namespace Tessera.Mpc.Tests.Communication;

public sealed class TcpCommunicatorTests(ITestOutputHelper output)
{
    private static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task SendReceive_TwoParties_MessagesArriveInOrderAndIntact()
    {
        var parties = await TcpTestMesh.ConnectAsync(2);
        try
        {
            int[] lengths = [0, 1, 100, 65_536, 70_000, 3 << 20, 0, 5];
            var sends = Task.Run(async () =>
            {
                for (var i = 0; i < lengths.Length; i++)
                {
                    await parties[0].SendAsync(1, Pattern(lengths[i], i));
                    await parties[1].SendAsync(0, Pattern(lengths[i], 100 + i));
                }
            });
            for (var i = 0; i < lengths.Length; i++)
            {
                Assert.Equal(Pattern(lengths[i], i), await parties[1].ReceiveAsync(0));
                Assert.Equal(Pattern(lengths[i], 100 + i), await parties[0].ReceiveAsync(1));
            }

            await sends;
            Assert.Equal(2, parties[0].Parties);
            Assert.Equal(1, parties[1].Rank);
        }
        finally
        {
            await TcpTestMesh.DisposeAllAsync(parties);
        }
    }

    [Fact]
    public async Task SendReceive_ThreeParties_EveryPairExchanges()
    {
        var parties = await TcpTestMesh.ConnectAsync(3);
        try
        {
            await Task.WhenAll(parties.Select(p => Task.Run(async () =>
            {
                for (var round = 0; round < 3; round++)
                {
                    for (var to = 0; to < 3; to++)
                    {
                        if (to != p.Rank)
                        {
                            await p.SendAsync(to, Pattern(1000 * (round + 1), (p.Rank * 10) + to + (round * 100)));
                        }
                    }

                    for (var from = 0; from < 3; from++)
                    {
                        if (from != p.Rank)
                        {
                            Assert.Equal(Pattern(1000 * (round + 1), (from * 10) + p.Rank + (round * 100)), await p.ReceiveAsync(from));
                        }
                    }
                }
            })));
        }
        finally
        {
            await TcpTestMesh.DisposeAllAsync(parties);
        }
    }

    [Fact]
    public async Task Statistics_PerOperation_CountPayloadPlusFramingAndRounds()
    {
        var parties = await TcpTestMesh.ConnectAsync(2);
        try
        {
            using (parties[0].BeginOperation("mul"))
            {
                await parties[0].SendAsync(1, new byte[100]);
                parties[0].CountRound();
                using (parties[0].BeginOperation("relu"))
                {
                    await parties[0].SendAsync(1, new byte[10]);
                }

                await parties[0].SendAsync(1, new byte[1]);
            }

            await parties[0].SendAsync(1, Array.Empty<byte>());
            for (var i = 0; i < 4; i++)
            {
                await parties[1].ReceiveAsync(0);
            }

            var sent = parties[0].Statistics;
            Assert.Equal(111 + (4 * 4), sent.BytesSent);
            Assert.Equal(101 + 8, sent.ByOperation["mul"].BytesSent);
            Assert.Equal(14, sent.ByOperation["relu"].BytesSent);
            Assert.Equal(4, sent.ByOperation[string.Empty].BytesSent);
            Assert.Equal(1, sent.ByOperation["mul"].Rounds);
            Assert.Equal(1, sent.Rounds);
            Assert.Equal(111 + (4 * 4), parties[1].Statistics.BytesReceived);
            Assert.Equal(0, parties[1].Statistics.BytesSent);
        }
        finally
        {
            await TcpTestMesh.DisposeAllAsync(parties);
        }
    }

    [Fact]
    public async Task Receive_PeerDisposedMidSession_ThrowsPartyDisconnectedNamingRankPromptly()
    {
        var parties = await TcpTestMesh.ConnectAsync(3, timeout: TimeSpan.FromSeconds(10));
        try
        {
            await parties[1].SendAsync(0, new byte[] { 1, 2, 3 });
            await parties[1].SendAsync(0, new byte[] { 4 });
            var pending = parties[2].ReceiveAsync(1).AsTask();
            var watch = Stopwatch.StartNew();
            await parties[1].DisposeAsync();

            var error = await Assert.ThrowsAsync<PartyDisconnectedException>(() => pending);
            watch.Stop();
            Assert.Equal(1, error.Rank);
            Assert.Contains("rank 1", error.Message, StringComparison.OrdinalIgnoreCase);
            output.WriteLine($"Peer disposed -> PartyDisconnectedException after {watch.Elapsed.TotalMilliseconds:0.0} ms (timeout 10 s)");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed.TotalMilliseconds:0} ms");

            // What rank 1 sent before it left is still delivered, then the disconnection is reported.
            Assert.Equal(new byte[] { 1, 2, 3 }, await parties[0].ReceiveAsync(1));
            Assert.Equal(new byte[] { 4 }, await parties[0].ReceiveAsync(1));
            Assert.Equal(1, (await Assert.ThrowsAsync<PartyDisconnectedException>(() => parties[0].ReceiveAsync(1).AsTask())).Rank);
            var sendError = await Assert.ThrowsAsync<PartyDisconnectedException>(async () =>
            {
                // The first write after the peer closed can still land in the kernel's buffer; a later one fails.
                for (var i = 0; i < 100; i++)
                {
                    await parties[2].SendAsync(1, new byte[1000]);
                    await Task.Delay(10);
                }
            });
            Assert.Equal(1, sendError.Rank);

            // The other pair is unaffected.
            await parties[0].SendAsync(2, new byte[] { 9 });
            Assert.Equal(new byte[] { 9 }, await parties[2].ReceiveAsync(0));
            await Assert.ThrowsAsync<ObjectDisposedException>(() => parties[1].ReceiveAsync(0).AsTask());
        }
        finally
        {
            await TcpTestMesh.DisposeAllAsync(parties);
        }
    }

    [Fact]
    public async Task Receive_NothingSent_ThrowsPartyDisconnectedAfterTimeout()
    {
        var parties = await TcpTestMesh.ConnectAsync(2, timeout: TimeSpan.FromMilliseconds(300));
        try
        {
            var watch = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<PartyDisconnectedException>(() => parties[0].ReceiveAsync(1).AsTask());
            Assert.Equal(1, error.Rank);
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"took {watch.Elapsed.TotalMilliseconds:0} ms");

            // A timed-out receive does not break the connection.
            await parties[1].SendAsync(0, new byte[] { 7 });
            Assert.Equal(new byte[] { 7 }, await parties[0].ReceiveAsync(1));
        }
        finally
        {
            await TcpTestMesh.DisposeAllAsync(parties);
        }
    }

    [Fact]
    public async Task SendReceive_BadPeerRank_ThrowsArgumentOutOfRange()
    {
        var parties = await TcpTestMesh.ConnectAsync(2);
        try
        {
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => parties[0].SendAsync(0, new byte[1]).AsTask());
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => parties[0].SendAsync(2, new byte[1]).AsTask());
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => parties[0].ReceiveAsync(-1).AsTask());
            Assert.Throws<ArgumentNullException>(() => parties[0].BeginOperation(null!));
        }
        finally
        {
            await TcpTestMesh.DisposeAllAsync(parties);
        }
    }
}
