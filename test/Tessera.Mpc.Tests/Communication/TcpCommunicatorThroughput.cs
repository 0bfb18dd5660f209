using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tessera.Mpc.Communication;
using Xunit.Abstractions;

namespace Tessera.Mpc.Tests.Communication;

/// <summary>
/// Loopback throughput of two parties exchanging 16 MB each way at once (the exchange of a Beaver round), over TLS and,
/// for the machine's limit, over the same framing on plain sockets. Not a timed assertion: it checks the bytes and
/// prints the figures (run with --logger "console;verbosity=detailed").
/// </summary>
public sealed class TcpCommunicatorThroughput(ITestOutputHelper output)
{
    private const int Bytes = 16 << 20;

    [Fact]
    public async Task Exchange16MbEachWay_Loopback_DeliversAndReportsThroughput()
    {
        var tls = await TcpTestMesh.ConnectAsync(2);
        var plain = await PlainPairAsync();
        try
        {
            var payloads = new[] { new byte[Bytes], new byte[Bytes] };
            new Random(1).NextBytes(payloads[0]);
            new Random(2).NextBytes(payloads[1]);
            var tlsTimes = new List<double>();
            var plainTimes = new List<double>();
            for (var iteration = 0; iteration < 5; iteration++)
            {
                tlsTimes.Add(await ExchangeAsync(tls, payloads));
                plainTimes.Add(await ExchangeAsync(plain, payloads));
            }

            output.WriteLine(Line("TLS 1.3", tlsTimes));
            output.WriteLine(Line("plain TCP, same framing", plainTimes));
        }
        finally
        {
            await TcpTestMesh.DisposeAllAsync(tls);
            await TcpTestMesh.DisposeAllAsync(plain);
        }
    }

    private static string Line(string name, List<double> times)
    {
        var best = times.Skip(1).Min();
        var runs = string.Join(", ", times.Select(t => t.ToString("0.0", CultureInfo.InvariantCulture)));
        return $"16 MB each way, {name}: best {best:0.0} ms ({2 * Bytes / 1e6 / (best / 1e3):0} MB/s both ways); runs {runs} ms";
    }

    private static async Task<double> ExchangeAsync(TcpCommunicator[] parties, byte[][] payloads)
    {
        var watch = Stopwatch.StartNew();
        var received = await Task.WhenAll(parties.Select(p => Task.Run(async () =>
        {
            var send = p.SendAsync(1 - p.Rank, payloads[p.Rank]).AsTask();
            var message = await p.ReceiveAsync(1 - p.Rank);
            await send;
            return message;
        })));
        var elapsed = watch.Elapsed.TotalMilliseconds;
        Assert.True(received[0].AsSpan().SequenceEqual(payloads[1]));
        Assert.True(received[1].AsSpan().SequenceEqual(payloads[0]));
        return elapsed;
    }

    private static async Task<TcpCommunicator[]> PlainPairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accept = listener.AcceptSocketAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await accept;
        server.NoDelay = true;
        var timeout = TimeSpan.FromSeconds(10);
        return
        [
            TcpCommunicator.FromStreams(0, 2, timeout, 1 << 30, new Dictionary<int, Stream> { [1] = new NetworkStream(server, ownsSocket: true) }),
            TcpCommunicator.FromStreams(1, 2, timeout, 1 << 30, new Dictionary<int, Stream> { [0] = new NetworkStream(client, ownsSocket: true) }),
        ];
    }
}
