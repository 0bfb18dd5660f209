using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Tessera.Mpc.Communication;

namespace Tessera.Mpc.Tests.Communication;

public sealed class TcpCommunicatorFramingTests
{
    /// <summary>A plain loopback socket pair: one end for a communicator, the other for raw bytes.</summary>
    private static async Task<(NetworkStream Ours, NetworkStream Raw)> SocketPairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        var accept = listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await accept;
        return (new NetworkStream(server.Client, ownsSocket: true), new NetworkStream(client.Client, ownsSocket: true));
    }

    [Fact]
    public async Task Receive_FrameLengthAboveLimit_FailsWithClearError()
    {
        var (ours, raw) = await SocketPairAsync();
        await using var communicator = TcpCommunicator.FromStreams(0, 2, TimeSpan.FromSeconds(10), 1 << 20, new Dictionary<int, Stream> { [1] = ours });
        await using (raw)
        {
            var header = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0xFFFF_FFF0);
            await raw.WriteAsync(header);

            var error = await Assert.ThrowsAsync<PartyDisconnectedException>(() => communicator.ReceiveAsync(1).AsTask());
            Assert.Equal(1, error.Rank);
            Assert.IsType<InvalidDataException>(error.InnerException);
            Assert.Contains("4294967280 bytes, above the limit of 1048576", error.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<PartyDisconnectedException>(() => communicator.SendAsync(1, new byte[1]).AsTask());
        }
    }

    [Fact]
    public async Task Receive_StreamEndsMidFrame_ThrowsPartyDisconnected()
    {
        var (ours, raw) = await SocketPairAsync();
        await using var communicator = TcpCommunicator.FromStreams(0, 2, TimeSpan.FromSeconds(10), 1 << 20, new Dictionary<int, Stream> { [1] = ours });
        var frame = new byte[4 + 3];
        BinaryPrimitives.WriteInt32LittleEndian(frame, 10);
        await raw.WriteAsync(frame);
        await raw.DisposeAsync();

        var error = await Assert.ThrowsAsync<PartyDisconnectedException>(() => communicator.ReceiveAsync(1).AsTask());
        Assert.Equal(1, error.Rank);
        Assert.Contains("middle of a message", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_RawFrames_AreDecoded()
    {
        var (ours, raw) = await SocketPairAsync();
        await using var communicator = TcpCommunicator.FromStreams(1, 2, TimeSpan.FromSeconds(10), 1 << 20, new Dictionary<int, Stream> { [0] = ours });
        await using (raw)
        {
            // Two frames in one write, split across reads arbitrarily by TCP.
            byte[] frames = [2, 0, 0, 0, 0xAB, 0xCD, 0, 0, 0, 0];
            await raw.WriteAsync(frames);
            Assert.Equal(new byte[] { 0xAB, 0xCD }, await communicator.ReceiveAsync(0));
            Assert.Empty(await communicator.ReceiveAsync(0));

            await communicator.SendAsync(0, new byte[] { 5, 6, 7 });
            var echo = new byte[7];
            await raw.ReadExactlyAsync(echo);
            Assert.Equal(new byte[] { 3, 0, 0, 0, 5, 6, 7 }, echo);
        }
    }

    [Fact]
    public async Task Receive_MessageAboveReceiverLimitOverTls_FailsWithClearError()
    {
        var endpoints = TcpTestMesh.Endpoints(2);
        var small = Task.Run(() => TcpCommunicator.ConnectAsync(TcpTestMesh.Options(endpoints, 0) with { MaxMessageBytes = 1024 }));
        await using var sender = await TcpCommunicator.ConnectAsync(TcpTestMesh.Options(endpoints, 1));
        await using var receiver = await small;

        await sender.SendAsync(0, new byte[1024]);
        await sender.SendAsync(0, new byte[1025]);
        Assert.Equal(1024, (await receiver.ReceiveAsync(1)).Length);
        var error = await Assert.ThrowsAsync<PartyDisconnectedException>(() => receiver.ReceiveAsync(1).AsTask());
        Assert.Contains("1025 bytes, above the limit of 1024", error.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<ArgumentException>(() => receiver.SendAsync(1, new byte[1025]).AsTask());
    }
}
