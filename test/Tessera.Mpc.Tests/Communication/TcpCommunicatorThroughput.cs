using System.Diagnostics;
using Tessera.Mpc.Communication;
using Xunit.Abstractions;

namespace Tessera.Mpc.Tests.Communication;

/// <summary>
/// Loopback throughput of two TLS parties exchanging 16 MB each way at once (the exchange of a Beaver round). Not a
/// timed assertion: it checks the bytes and prints the figure (run with --logger "console;verbosity=detailed").
/// </summary>
public sealed class TcpCommunicatorThroughput(ITestOutputHelper output)
{
    [Fact]
    public async Task Exchange16MbEachWay_Loopback_DeliversAndReportsThroughput()
    {
        const int bytes = 16 << 20;
        var parties = await TcpTestMesh.ConnectAsync(2);
        try
        {
            var payloads = new[] { new byte[bytes], new byte[bytes] };
            new Random(1).NextBytes(payloads[0]);
            new Random(2).NextBytes(payloads[1]);
            var times = new List<double>();
            for (var iteration = 0; iteration < 6; iteration++)
            {
                var watch = Stopwatch.StartNew();
                var received = await Task.WhenAll(parties.Select(p => Task.Run(async () =>
                {
                    var send = p.SendAsync(1 - p.Rank, payloads[p.Rank]).AsTask();
                    var message = await p.ReceiveAsync(1 - p.Rank);
                    await send;
                    return message;
                })));
                times.Add(watch.Elapsed.TotalMilliseconds);
                Assert.True(received[0].AsSpan().SequenceEqual(payloads[1]));
                Assert.True(received[1].AsSpan().SequenceEqual(payloads[0]));
            }

            var best = times.Skip(1).Min();
            output.WriteLine($"16 MB each way over TLS loopback: best {best:0.0} ms ({2 * bytes / 1e6 / (best / 1e3):0} MB/s both ways), " +
                $"runs {string.Join(", ", times.Select(t => t.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))} ms");
        }
        finally
        {
            await TcpTestMesh.DisposeAllAsync(parties);
        }
    }
}
