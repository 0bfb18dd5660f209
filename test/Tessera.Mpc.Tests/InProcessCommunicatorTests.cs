using System.Diagnostics;
using Tessera.Mpc.Communication;

namespace Tessera.Mpc.Tests;

public sealed class InProcessCommunicatorTests
{
    [Fact]
    public async Task SendAsync_ThenReceive_DeliversCopiesInOrder()
    {
        var group = InProcessCommunicator.CreateGroup(3, TimeSpan.FromSeconds(5));
        var payload = new byte[] { 1, 2, 3 };
        await group[0].SendAsync(2, payload);
        payload[0] = 99;
        await group[0].SendAsync(2, new byte[] { 4 });

        var first = await group[2].ReceiveAsync(0);
        var second = await group[2].ReceiveAsync(0);

        Assert.Equal(new byte[] { 1, 2, 3 }, first);
        Assert.Equal(new byte[] { 4 }, second);
        Assert.Equal(3, group.Count);
        Assert.Equal(2, group[2].Rank);
        Assert.Equal(3, group[1].Parties);
    }

    [Fact]
    public async Task Statistics_CountBytesAndRoundsPerOperation()
    {
        var group = InProcessCommunicator.CreateGroup(2, TimeSpan.FromSeconds(5));
        using (group[0].BeginOperation("mul"))
        {
            await group[0].SendAsync(1, new byte[40]);
            group[0].CountRound();
            using (group[0].BeginOperation("inner"))
            {
                await group[0].SendAsync(1, new byte[8]);
            }

            await group[0].SendAsync(1, new byte[2]);
        }

        using (group[1].BeginOperation("mul"))
        {
            await group[1].ReceiveAsync(0);
        }

        Assert.Equal(50, group[0].Statistics.BytesSent);
        Assert.Equal(42, group[0].Statistics.ByOperation["mul"].BytesSent);
        Assert.Equal(8, group[0].Statistics.ByOperation["inner"].BytesSent);
        Assert.Equal(1, group[0].Statistics.ByOperation["mul"].Rounds);
        Assert.Equal(40, group[1].Statistics.ByOperation["mul"].BytesReceived);
        Assert.Equal(0, group[1].Statistics.BytesSent);
    }

    [Fact]
    public async Task ReceiveAsync_NothingSent_ThrowsAfterTimeout()
    {
        var group = InProcessCommunicator.CreateGroup(2, TimeSpan.FromMilliseconds(100));

        var ex = await Assert.ThrowsAsync<PartyDisconnectedException>(async () => await group[1].ReceiveAsync(0));

        Assert.Equal(0, ex.Rank);
    }

    [Fact]
    public async Task DisposeAsync_PendingReceiveFromDisposedPeer_ThrowsPromptly()
    {
        var group = InProcessCommunicator.CreateGroup(3, TimeSpan.FromSeconds(30));
        var stopwatch = Stopwatch.StartNew();
        var pending = group[0].ReceiveAsync(1).AsTask();
        var other = group[2].ReceiveAsync(1).AsTask();

        await group[1].DisposeAsync();

        var ex = await Assert.ThrowsAsync<PartyDisconnectedException>(() => pending);
        await Assert.ThrowsAsync<PartyDisconnectedException>(() => other);
        Assert.Equal(1, ex.Rank);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"Took {stopwatch.Elapsed}.");
    }

    [Fact]
    public async Task DisposeAsync_MessagesSentBefore_StayReadableThenThrows()
    {
        var group = InProcessCommunicator.CreateGroup(2, TimeSpan.FromSeconds(30));
        await group[1].SendAsync(0, new byte[] { 7 });
        await group[1].DisposeAsync();

        Assert.Equal(new byte[] { 7 }, await group[0].ReceiveAsync(1));
        await Assert.ThrowsAsync<PartyDisconnectedException>(async () => await group[0].ReceiveAsync(1));
        await Assert.ThrowsAsync<PartyDisconnectedException>(async () => await group[0].SendAsync(1, new byte[1]));
    }

    [Fact]
    public async Task ReceiveAsync_Cancelled_ThrowsOperationCanceled()
    {
        var group = InProcessCommunicator.CreateGroup(2, TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await group[0].ReceiveAsync(1, cts.Token));
    }

    [Fact]
    public async Task Arguments_Invalid_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InProcessCommunicator.CreateGroup(1, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => InProcessCommunicator.CreateGroup(2, TimeSpan.Zero));
        var group = InProcessCommunicator.CreateGroup(2, TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<ArgumentException>(async () => await group[0].SendAsync(0, new byte[1]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await group[0].SendAsync(2, new byte[1]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await group[0].ReceiveAsync(-1));
        Assert.Throws<ArgumentNullException>(() => group[0].BeginOperation(null!));
    }
}
