using System.Diagnostics;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Tessera.Mpc.Communication;

namespace Tessera.Mpc.Tests.Communication;

public sealed class TcpCommunicatorConnectTests
{
    private static readonly TimeSpan ShortConnect = TimeSpan.FromSeconds(1.5);

    private static async Task<(Exception? Listener, Exception? Dialer)> ConnectPairAsync(
        X509Certificate2 listenerCertificate, X509Certificate2 dialerCertificate)
    {
        var endpoints = TcpTestMesh.Endpoints(2);
        var listener = Task.Run(() => TcpCommunicator.ConnectAsync(
            TcpTestMesh.Options(endpoints, 0, connectTimeout: ShortConnect) with { Certificate = listenerCertificate }));
        var dialer = Task.Run(() => TcpCommunicator.ConnectAsync(
            TcpTestMesh.Options(endpoints, 1, connectTimeout: ShortConnect) with { Certificate = dialerCertificate }));
        return (await Outcome(listener), await Outcome(dialer));
    }

    private static async Task<Exception?> Outcome(Task<TcpCommunicator> task)
    {
        try
        {
            await (await task).DisposeAsync();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Fact]
    public async Task Connect_DialerCertificateFromAnotherCa_BothSidesRefuseNamingRank()
    {
        var foreign = MeshCertificates.CreateParty(TcpTestMesh.OtherAuthority, TcpTestMesh.Name(1));
        var watch = Stopwatch.StartNew();
        var (listener, dialer) = await ConnectPairAsync(TcpTestMesh.Certificate(0), foreign);

        var dialerError = Assert.IsType<AuthenticationException>(dialer);
        Assert.Contains("rank 0", dialerError.Message, StringComparison.Ordinal);
        var listenerError = Assert.IsType<PartyDisconnectedException>(listener);
        Assert.Equal(1, listenerError.Rank);
        Assert.Contains("does not chain to a trusted root", listenerError.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task Connect_ListenerCertificateFromAnotherCa_DialerRefusesNamingRank()
    {
        var foreign = MeshCertificates.CreateParty(TcpTestMesh.OtherAuthority, TcpTestMesh.Name(0));
        var (listener, dialer) = await ConnectPairAsync(foreign, TcpTestMesh.Certificate(1));

        var dialerError = Assert.IsType<AuthenticationException>(dialer);
        Assert.Contains("rank 0", dialerError.Message, StringComparison.Ordinal);
        Assert.Contains("does not chain to a trusted root", dialerError.Message, StringComparison.Ordinal);
        Assert.IsType<PartyDisconnectedException>(listener);
    }

    [Fact]
    public async Task Connect_DialerCertificateForAnotherRank_IsRefused()
    {
        // Rank 1 presents rank 0's (valid, same CA) certificate: the chain is fine, the identity is not.
        var (listener, dialer) = await ConnectPairAsync(TcpTestMesh.Certificate(0), TcpTestMesh.Certificate(0));

        var dialerError = Assert.IsType<AuthenticationException>(dialer);
        Assert.Contains("Rank 0", dialerError.Message, StringComparison.Ordinal);
        Assert.Contains("does not name its rank", dialerError.Message, StringComparison.Ordinal);
        var listenerError = Assert.IsType<PartyDisconnectedException>(listener);
        Assert.Contains("does not name 'party1.tessera'", listenerError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_ListenerCertificateForAnotherRank_DialerRefusesNamingRank()
    {
        var (_, dialer) = await ConnectPairAsync(TcpTestMesh.Certificate(1), TcpTestMesh.Certificate(1));

        var dialerError = Assert.IsType<AuthenticationException>(dialer);
        Assert.Contains("rank 0", dialerError.Message, StringComparison.Ordinal);
        Assert.Contains("does not name 'party0.tessera'", dialerError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_PeerNeverStarts_ThrowsPartyDisconnectedAfterConnectTimeout()
    {
        var endpoints = TcpTestMesh.Endpoints(2);
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<PartyDisconnectedException>(() => TcpCommunicator.ConnectAsync(
            TcpTestMesh.Options(endpoints, 1, connectTimeout: TimeSpan.FromMilliseconds(500))));

        Assert.Equal(0, error.Rank);
        Assert.Contains("could not reach rank 0", error.Message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.4, 3);
    }

    [Fact]
    public async Task Connect_PeerStartsLate_DialRetriesUntilItListens()
    {
        var endpoints = TcpTestMesh.Endpoints(2);
        var dialer = Task.Run(() => TcpCommunicator.ConnectAsync(
            endpoints, 1, TcpTestMesh.Certificate(1), [TcpTestMesh.Authority], TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)));
        await Task.Delay(300);
        await using var listener = await TcpCommunicator.ConnectAsync(TcpTestMesh.Options(endpoints, 0));
        await using var connected = await dialer;

        await connected.SendAsync(0, new byte[] { 42 });
        Assert.Equal(new byte[] { 42 }, await listener.ReceiveAsync(1));
    }

    [Fact]
    public async Task Connect_BadOptions_ThrowArgumentExceptions()
    {
        var endpoints = TcpTestMesh.Endpoints(2);
        var good = TcpTestMesh.Options(endpoints, 0);
        using var publicOnly = X509CertificateLoader.LoadCertificate(TcpTestMesh.Certificate(0).RawData);

        await Assert.ThrowsAsync<ArgumentNullException>(() => TcpCommunicator.ConnectAsync(null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => TcpCommunicator.ConnectAsync(good with { Rank = 2 }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => TcpCommunicator.ConnectAsync(good with { Rank = -1 }));
        await Assert.ThrowsAsync<ArgumentException>(() => TcpCommunicator.ConnectAsync(good with { Parties = [endpoints[0]] }));
        await Assert.ThrowsAsync<ArgumentException>(() => TcpCommunicator.ConnectAsync(
            good with { Parties = [endpoints[0], endpoints[1] with { Name = endpoints[0].Name }] }));
        await Assert.ThrowsAsync<ArgumentException>(() => TcpCommunicator.ConnectAsync(
            good with { Parties = [endpoints[0], endpoints[1] with { Port = 0 }] }));
        await Assert.ThrowsAsync<ArgumentException>(() => TcpCommunicator.ConnectAsync(good with { Certificate = publicOnly }));
        await Assert.ThrowsAsync<ArgumentException>(() => TcpCommunicator.ConnectAsync(good with { TrustedRoots = [] }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => TcpCommunicator.ConnectAsync(good with { Timeout = TimeSpan.Zero }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => TcpCommunicator.ConnectAsync(good with { MaxMessageBytes = 0 }));
    }
}
