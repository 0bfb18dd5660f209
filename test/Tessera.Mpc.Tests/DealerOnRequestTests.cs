using System.Buffers.Binary;
using Tessera.Mpc.Communication;
using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;

namespace Tessera.Mpc.Tests;

/// <summary>
/// The dealer in <see cref="DealerMode.OnRequest"/>: it serves any program without a script, party 0 tells it only kinds
/// and sizes, a malformed request is refused with a message naming what was wrong, and a party that leaves does not
/// leave it hanging.
/// </summary>
public sealed class DealerOnRequestTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ServeRequests_ArbitraryProgram_MatchesPlaintext(int parties)
    {
        double[] xs = [-3.5, -1, -0.25, 0, 0.5, 2, 7.75];
        double[] ys = [2, -4, 8, 1, -0.5, 3, 0.125];
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Tensor.FromArray(xs, xs.Length) : null, xs.Length);
            var y = EncryptedTensor.Encrypt(session, parties - 1, session.Rank == parties - 1 ? Tensor.FromArray(ys, ys.Length) : null, ys.Length);
            var product = await x.MulAsync(y);
            var relu = await product.ReluAsync();
            var larger = await x.MaxAsync(y);
            var matrix = await x.Reshape(7, 1).MatMulAsync(y.Reshape(1, 7));
            var sigmoid = EncryptedTensor.FromShares(await session.SigmoidAsync(x.Shares));
            return (
                Relu: (await relu.DecryptAsync()).ToArray<double>(),
                Max: (await larger.DecryptAsync()).ToArray<double>(),
                Trace: (await matrix.DecryptAsync()).ToArray<double>(),
                Sigmoid: (await sigmoid.DecryptAsync()).ToArray<double>());
        });

        foreach (var result in run.Results)
        {
            for (var i = 0; i < xs.Length; i++)
            {
                Assert.Equal(Math.Max(0, xs[i] * ys[i]), result.Relu[i], 1e-4);
                Assert.Equal(Math.Max(xs[i], ys[i]), result.Max[i], 1e-9);
                Assert.Equal(xs[i] * ys[i], result.Trace[(i * xs.Length) + i], 1e-4);
                Assert.Equal(1 / (1 + Math.Exp(-xs[i])), result.Sigmoid[i], 2e-3);
            }
        }

        // Announced requests rotate their corrections over the parties exactly as scripted ones do.
        Assert.True(run.DealerCorrections.Length > parties);
        run.AssertCorrectionsRotate();
    }

    [Fact]
    public async Task ServeRequests_Traffic_Party0SendsOnlyDescriptorsAndOthersNothing()
    {
        var run = await MpcHarness.RunAsync(3, async session =>
        {
            var x = EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? Tensor.Full([100], 1.5, DType.Float64) : null, 100);
            await (await x.MulAsync(x)).ReluAsync();
            return 0;
        });

        var toDealer = run.Log.Where(m => m.To == run.Dealer).ToArray();
        Assert.NotEmpty(toDealer);
        Assert.All(toDealer, m => Assert.Equal(0, m.From));
        Assert.All(toDealer, m => Assert.Equal(13, m.Bytes));
        Assert.All(toDealer, m => Assert.Equal("dealer-request", m.Operation));
    }

    [Fact]
    public async Task ServeRequests_SyncDispose_StillEndsTheDealer()
    {
        var group = InProcessCommunicator.CreateGroup(3, TimeSpan.FromSeconds(15));
        var parties = Enumerable.Range(0, 2).Select(rank => Task.Run(async () =>
        {
            using var session = await MpcSession.CreateAsync(group[rank], 2, new DealerCorrelationProvider(), CryptoRandomSource.Instance);
            var x = session.Share(0, session.Rank == 0 ? Tensor.Ones([4], DType.Float64) : null, 4);
            await session.MulAsync(x, x);
        })).ToArray();
        var dealer = Task.Run(async () =>
        {
            using var trusted = await TrustedDealer.CreateAsync(group[2], CryptoRandomSource.Instance);
            return await trusted.ServeRequestsAsync();
        });

        await Task.WhenAll(parties);

        Assert.Equal(1, await dealer);
    }

    [Fact]
    public async Task ServeRequests_Party0LeavesWithoutClosing_ThrowsPartyDisconnected()
    {
        var group = InProcessCommunicator.CreateGroup(3, TimeSpan.FromSeconds(15));
        var dealer = Task.Run(async () =>
        {
            using var trusted = await TrustedDealer.CreateAsync(group[2], CryptoRandomSource.Instance);
            return await trusted.ServeRequestsAsync();
        });
        await group[0].ReceiveAsync(2);
        await group[0].DisposeAsync();

        var ex = await Assert.ThrowsAsync<PartyDisconnectedException>(() => dealer);
        Assert.Equal(0, ex.Rank);
    }

    public static TheoryData<byte[], string> MalformedRequests => new()
    {
        { new byte[12], "12-byte" },
        { Array.Empty<byte>(), "empty" },
        { Request(12, 1, 0, 0), "unknown kind 12" },
        { Request(10, 10, 0, 0), "shift 0" },
        { Request(10, (1 << 28) / 5 + 1, 16, 0), "at most" },
        { Request(7, 1, 1, 4), "37 bytes" },
        { Request(1, -5, 0, 0), "negative size" },
        { Request(1, 1 << 29, 0, 0), "at most" },
        { Request(2, 1 << 20, 1 << 20, 1), "at most" },
        { Request(3, 10, 0, 0), "shift 0" },
        { Conv(1, 1, 2, 2, 1, 3, 3, 1, 0), "no convolution" },
        { Conv(1, 2, 5, 5, 1, 3, 3, 0, 0), "no convolution" },
        { Conv(1 << 15, 1, 128, 128, 1, 1, 1, 1, 0), "at most" },
        { Conv(1 << 12, 64, 32, 32, 1, 3, 3, 1, 1), "exceeds" },
        { Request(3, 10, 63, 0), "shift 63" },
        { Request(9, (1 << 28) / 3 + 1, 0, 0), "at most" },
        { Request(11, (1 << 28) / 2 + 1, 0, 0), "at most" },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task ServeRequests_MalformedRequest_ThrowsNamingTheProblem(byte[] frame, string expected)
    {
        var group = InProcessCommunicator.CreateGroup(3, TimeSpan.FromSeconds(15));
        var dealer = Task.Run(async () =>
        {
            using var trusted = await TrustedDealer.CreateAsync(group[2], CryptoRandomSource.Instance);
            return await trusted.ServeRequestsAsync();
        });
        await group[0].ReceiveAsync(2);
        await group[1].ReceiveAsync(2);
        await group[0].SendAsync(2, frame);

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => dealer);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        // Nothing was served for it: no party (request 0's receiver would be party 0) received a correction.
        foreach (var party in new[] { 0, 1 })
        {
            using var pending = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await group[party].ReceiveAsync(2, pending.Token));
        }
    }

    [Fact]
    public async Task Provider_AfterClose_RefusesRequests()
    {
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            if (session.Rank != 0)
            {
                return null;
            }

            await session.Provider.CloseAsync();
            return await Record.ExceptionAsync(async () => await session.Provider.GetTruncationPairAsync(1, 16));
        });

        Assert.IsType<InvalidOperationException>(run.Results[0]);
    }

    [Fact]
    public void Provider_UnknownMode_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DealerCorrelationProvider((DealerMode)7));

    private static byte[] Conv(params int[] sizes)
    {
        var bytes = new byte[37];
        bytes[0] = 7;
        for (var i = 0; i < 9; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1 + (4 * i)), sizes[i]);
        }

        return bytes;
    }

    private static byte[] Request(byte kind, int first, int second, int third)
    {
        var bytes = new byte[13];
        bytes[0] = kind;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), first);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(5), second);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(9), third);
        return bytes;
    }
}
