using System.Diagnostics;
using System.Globalization;
using Tessera.Mpc;
using Tessera.Mpc.Randomness;

namespace Tessera.Cli.Mpc;

/// <summary>
/// This machine's primitives, measured in the same run as the bench, and the floor they put under an operation:
/// <c>limit = L / linkBytesPerSecond + R * roundSeconds + K / keystreamBytesPerSecond + (L / 8) * combineSecondsPerElement</c>,
/// where L is the bytes on the busiest direction of the party-to-party link during the operation (the larger of what
/// party 0 sent and received), R its rounds and K the AES-CTR keystream bytes party 0 drew. The link rate is measured
/// with 16 MB each way at once between the two party processes over their TLS connection; the round time is the 10th
/// percentile of 300 exchanges of 8 bytes each way; the keystream rate is <see cref="AesCtrPrg"/> on 16 MB; the combine is a Beaver
/// multiply-add pass (x*f + e*b + c) over 1e6 ring elements. It is a floor for this protocol's traffic, not for a
/// different protocol: it leaves out the dealer's own work and the products of matmul.
/// </summary>
/// <param name="LinkBytesPerSecond">Bytes per second in each direction with both directions busy.</param>
/// <param name="RoundSeconds">One round: an 8-byte message each way.</param>
/// <param name="KeystreamBytesPerSecond">AES-CTR keystream bytes per second on one core.</param>
/// <param name="CombineSecondsPerElement">Seconds per ring element of a Beaver combine pass.</param>
internal sealed record MachineLimits(double LinkBytesPerSecond, double RoundSeconds, double KeystreamBytesPerSecond, double CombineSecondsPerElement)
{
    private const int LinkBytes = 16 * 1000 * 1000;
    private const int CombineCount = 1_000_000;

    /// <summary>The floor for an operation that moved <paramref name="linkBytes"/> in <paramref name="rounds"/> rounds and drew <paramref name="keystreamBytes"/>.</summary>
    public double LimitSeconds(long linkBytes, long rounds, long keystreamBytes) =>
        (linkBytes / LinkBytesPerSecond) + (rounds * RoundSeconds) + (keystreamBytes / KeystreamBytesPerSecond)
        + (linkBytes / 8.0 * CombineSecondsPerElement);

    /// <summary>A one-line description of the measured primitives.</summary>
    public string ToText() => string.Create(CultureInfo.InvariantCulture,
        $"machine: link {LinkBytesPerSecond / 1e6:F0} MB/s each way (16 MB each way in {LinkBytes / LinkBytesPerSecond * 1e3:F1} ms), round {RoundSeconds * 1e6:F0} us, "
        + $"AES-CTR {KeystreamBytesPerSecond / 1e9:F2} GB/s, Beaver combine of 1e6 in {CombineSecondsPerElement * CombineCount * 1e3:F2} ms");

    /// <summary>Measures the primitives between the two parties of <paramref name="session"/> (both must call it at once); best of three each.</summary>
    public static async Task<MachineLimits> MeasureAsync(MpcSession session, CancellationToken cancellationToken)
    {
        var communicator = session.Communicator;
        var peer = 1 - session.Rank;
        var big = GC.AllocateUninitializedArray<byte>(LinkBytes);
        var link = double.MaxValue;
        for (var trial = 0; trial < 3; trial++)
        {
            var stopwatch = Stopwatch.StartNew();
            var send = communicator.SendAsync(peer, big, cancellationToken).AsTask();
            var received = await communicator.ReceiveAsync(peer, cancellationToken).ConfigureAwait(false);
            await send.ConfigureAwait(false);
            link = Math.Min(link, stopwatch.Elapsed.TotalSeconds);
            if (received.Length != LinkBytes)
            {
                throw new InvalidDataException($"The link probe got {received.Length} bytes, not {LinkBytes}.");
            }
        }

        // One round is one 8-byte exchange each way at once; the floor takes the 10th percentile of 300, so that a
        // scheduler hiccup on the shared cores does not raise it.
        const int pings = 300;
        var small = new byte[8];
        var times = new double[pings];
        for (var i = 0; i < pings; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await communicator.SendAsync(peer, small, cancellationToken).ConfigureAwait(false);
            await communicator.ReceiveAsync(peer, cancellationToken).ConfigureAwait(false);
            times[i] = stopwatch.Elapsed.TotalSeconds;
        }

        Array.Sort(times);
        var round = times[pings / 10];

        var keystream = new ulong[LinkBytes / sizeof(ulong)];
        var aes = double.MaxValue;
        using (var prg = new AesCtrPrg(AesCtrPrg.NewSeed()))
        {
            for (var trial = 0; trial < 3; trial++)
            {
                var stopwatch = Stopwatch.StartNew();
                prg.Fill(keystream);
                aes = Math.Min(aes, stopwatch.Elapsed.TotalSeconds);
            }
        }

        var x = keystream.AsSpan(0, CombineCount);
        var f = keystream.AsSpan(CombineCount, CombineCount);
        var destination = new ulong[CombineCount];
        var combine = double.MaxValue;
        for (var trial = 0; trial < 3; trial++)
        {
            var stopwatch = Stopwatch.StartNew();
            RingKernels.BeaverCombine(x, f, f, x, x, destination);
            combine = Math.Min(combine, stopwatch.Elapsed.TotalSeconds);
        }

        return new MachineLimits(LinkBytes / link, round, LinkBytes / aes, combine / CombineCount);
    }
}
