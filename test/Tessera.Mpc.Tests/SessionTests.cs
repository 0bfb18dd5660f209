using System.Diagnostics;
using Tessera.Mpc.Communication;
using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;

namespace Tessera.Mpc.Tests;

public sealed class SessionTests
{
    [Fact]
    public async Task CreateAsync_InvalidArguments_Throw()
    {
        var group = InProcessCommunicator.CreateGroup(3, TimeSpan.FromSeconds(1));
        using var provider = new DealerCorrelationProvider();
        var random = CryptoRandomSource.Instance;
        await Assert.ThrowsAsync<ArgumentNullException>(() => MpcSession.CreateAsync(null!, 2, provider, random));
        await Assert.ThrowsAsync<ArgumentNullException>(() => MpcSession.CreateAsync(group[0], 2, null!, random));
        await Assert.ThrowsAsync<ArgumentNullException>(() => MpcSession.CreateAsync(group[0], 2, provider, null!));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => MpcSession.CreateAsync(group[0], 1, provider, random));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => MpcSession.CreateAsync(group[0], 4, provider, random));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => MpcSession.CreateAsync(group[2], 2, provider, random));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => MpcSession.CreateAsync(group[0], 2, provider, random, new MpcSessionOptions { FractionalBits = 31 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => MpcSession.CreateAsync(group[0], 2, provider, random, new MpcSessionOptions { SetupTimeout = TimeSpan.Zero }));
    }

    [Fact]
    public async Task CreateAsync_PeerAbsent_ThrowsPartyDisconnected()
    {
        var group = InProcessCommunicator.CreateGroup(3, TimeSpan.FromMilliseconds(200));

        var ex = await Assert.ThrowsAsync<PartyDisconnectedException>(
            () => MpcSession.CreateAsync(group[0], 2, new DealerCorrelationProvider(), CryptoRandomSource.Instance));

        Assert.Equal(1, ex.Rank);
    }

    [Fact]
    public async Task MulAsync_PeerDisposedMidProtocol_ThrowsPromptly()
    {
        var group = InProcessCommunicator.CreateGroup(3, TimeSpan.FromSeconds(30));
        var stopwatch = Stopwatch.StartNew();
        var party0 = Task.Run(async () =>
        {
            using var session = await MpcSession.CreateAsync(group[0], 2, new DealerCorrelationProvider(DealerMode.Scripted), CryptoRandomSource.Instance);
            var x = session.Share(0, Tensor.Ones([10], DType.Float64), 10);
            await session.MulAsync(x, x);
        });
        var party1 = Task.Run(async () =>
        {
            using var session = await MpcSession.CreateAsync(group[1], 2, new DealerCorrelationProvider(DealerMode.Scripted), CryptoRandomSource.Instance);
            await group[1].DisposeAsync();
        });
        var dealer = Task.Run(async () =>
        {
            using var trusted = await TrustedDealer.CreateAsync(group[2], CryptoRandomSource.Instance);
            await trusted.ServeTripleAsync(TripleRequest.Elementwise(10));
        });

        var ex = await Assert.ThrowsAsync<PartyDisconnectedException>(() => party0);
        await party1;
        // The dealer only sends; it fails only if its send comes after party 1 left, which is a race.
        var dealerError = await Record.ExceptionAsync(() => dealer);
        Assert.True(dealerError is null or PartyDisconnectedException, dealerError?.ToString());
        Assert.Equal(1, ex.Rank);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"Took {stopwatch.Elapsed}.");
    }

    [Fact]
    public async Task Session_ExposesItsSettings()
    {
        var run = await MpcHarness.RunAsync(3, session => Task.FromResult(
            (session.Rank, session.Parties, session.HasDealer, session.DealerRank, session.FractionalBits)),
            MpcHarness.NoDealerWork, new MpcSessionOptions { FractionalBits = 12 });

        Assert.Equal([(0, 3, true, 3, 12), (1, 3, true, 3, 12), (2, 3, true, 3, 12)], run.Results);
    }

    [Fact]
    public async Task TrustedDealer_InvalidArguments_Throw()
    {
        var group = InProcessCommunicator.CreateGroup(3, TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<ArgumentException>(() => TrustedDealer.CreateAsync(group[0], CryptoRandomSource.Instance));
        await Assert.ThrowsAsync<ArgumentException>(
            () => TrustedDealer.CreateAsync(InProcessCommunicator.CreateGroup(2, TimeSpan.FromSeconds(1))[1], CryptoRandomSource.Instance));
        await Assert.ThrowsAsync<ArgumentNullException>(() => TrustedDealer.CreateAsync(group[2], null!));
        using var dealer = await TrustedDealer.CreateAsync(group[2], CryptoRandomSource.Instance);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await dealer.ServeTruncationPairAsync(4, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await dealer.ServeTruncationPairAsync(-1, 16));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await dealer.ServeTripleAsync(null!));
    }

    [Fact]
    public async Task DealerCorrelationProvider_NotInitialised_Throws()
    {
        using var provider = new DealerCorrelationProvider();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await provider.GetTripleAsync(TripleRequest.Elementwise(1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await provider.GetTruncationPairAsync(1, 63));
    }

    [Fact]
    public void TripleRequest_Shapes_AreAsDocumented()
    {
        var matmul = TripleRequest.MatMul(2, 3, 4);

        Assert.Equal(TripleKind.MatMul, matmul.Kind);
        Assert.Equal((6, 12, 8), (matmul.CountA, matmul.CountB, matmul.CountC));
        Assert.Equal(5, TripleRequest.Elementwise(5).CountC);
        Assert.Throws<ArgumentOutOfRangeException>(() => TripleRequest.Elementwise(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TripleRequest.MatMul(1, -1, 1));
    }

    [Fact]
    public async Task CreateAsync_DealerProviderWithoutDealerRank_Throws()
    {
        var group = InProcessCommunicator.CreateGroup(2, TimeSpan.FromSeconds(5));

        var sessions = Enumerable.Range(0, 2).Select(rank => Task.Run(
            () => MpcSession.CreateAsync(group[rank], 2, new DealerCorrelationProvider(), CryptoRandomSource.Instance))).ToArray();

        foreach (var session in sessions)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => session);
        }
    }

    [Fact]
    public async Task CommonRandom_EveryPartyDrawsTheSameStream_AndAMalformedSeedIsRefusedNamingTheParty()
    {
        var run = await MpcHarness.RunAsync(3, async session =>
        {
            var stream = await session.CommonRandomAsync(CancellationToken.None);
            var again = await session.CommonRandomAsync(CancellationToken.None);
            Assert.Same(stream, again);
            return stream.Next(4);
        });
        Assert.All(run.Results, r => Assert.Equal(run.Results[0], r));
        Assert.Equal(3 * 2, run.Sent("common-random").Count());

        var error = await Assert.ThrowsAnyAsync<Exception>(() => MpcHarness.RunAsync(2, async session =>
        {
            if (session.Rank == 1)
            {
                await session.Communicator.SendAsync(0, new byte[3]);
                return 0;
            }

            await session.CommonRandomAsync(CancellationToken.None);
            return 0;
        }));
        var refusal = error as InvalidDataException ?? Assert.IsType<InvalidDataException>(error.InnerException);
        Assert.Contains("Party 1 sent a 3-byte common seed", refusal.Message, StringComparison.Ordinal);
    }
}
