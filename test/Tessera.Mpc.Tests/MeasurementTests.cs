using System.Diagnostics;
using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;
using Xunit.Abstractions;

namespace Tessera.Mpc.Tests;

/// <summary>
/// A quick measurement, not a timed test: mul of 1e6 elements and matmul 256x256x256 with 2 parties plus a dealer in
/// process, printing seconds (the slowest party, triple included) and MB sent. It asserts only correctness of samples.
/// </summary>
[Trait("Category", "Measurement")]
public sealed class MeasurementTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Measure_Mul1e6AndMatMul256_TwoPartiesAndDealer()
    {
        const int n = 1_000_000, d = 256;
        var xs = MpcHarness.Uniform(n, -2, 2, seed: 20);
        var ms = MpcHarness.Uniform(d * d, -2, 2, seed: 21);
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var x = session.Share(0, session.Rank == 0 ? Tensor.FromArray(xs, n) : null, n);
            var a = session.Share(0, session.Rank == 0 ? Tensor.FromArray(ms, d, d) : null, d, d);
            var b = session.Share(1, session.Rank == 1 ? Tensor.FromArray(ms, d, d) : null, d, d);
            var times = new List<(string Name, double Seconds)>();
            var product = await TimeAsync("mul", () => session.MulAsync(x, x).AsTask());
            var rescaled = await TimeAsync("truncate", () => session.RescaleAsync(product).AsTask());
            var matmul = await TimeAsync("matmul", () => session.MatMulAsync(a, b).AsTask());
            var sample = await session.RevealAsync(rescaled);
            var matSample = await session.RevealAsync(await session.RescaleAsync(matmul));
            return (times, sample.ToArray<double>()[..10], matSample.ToArray<double>()[0]);

            async Task<T> TimeAsync<T>(string name, Func<Task<T>> operation)
            {
                await session.RevealRingAsync(session.Share(0, session.Rank == 0 ? Tensor.Zeros([1], DType.Float64) : null, 1));
                var stopwatch = Stopwatch.StartNew();
                var result = await operation();
                times.Add((name, stopwatch.Elapsed.TotalSeconds));
                return result;
            }
        }, async dealer =>
        {
            await dealer.ServeTripleAsync(TripleRequest.Elementwise(n));
            await dealer.ServeTruncationPairAsync(n, 16);
            await dealer.ServeTripleAsync(TripleRequest.MatMul(d, d, d));
            await dealer.ServeTruncationPairAsync(d * d, 16);
        });

        foreach (var name in new[] { "mul", "truncate", "matmul" })
        {
            var seconds = run.Results.Max(r => r.times.Single(t => t.Name == name).Seconds);
            var partyMb = run.Communicators.Take(2).Select(c => c.Statistics.ByOperation[name].BytesSent / 1e6);
            var dealerLabel = name == "truncate" ? "truncation-pair" : "beaver";
            output.WriteLine($"{name}: {seconds:0.000} s, MB sent per party {string.Join(" / ", partyMb.Select(v => v.ToString("0.00")))}");
        }

        var dealerStats = run.Communicators[2].Statistics.ByOperation;
        output.WriteLine($"dealer MB sent: beaver {dealerStats["beaver"].BytesSent / 1e6:0.00}, truncation-pair "
            + $"{dealerStats["truncation-pair"].BytesSent / 1e6:0.00}");
        for (var i = 0; i < 10; i++)
        {
            var exact = MpcHarness.Quantize(xs[i]) * MpcHarness.Quantize(xs[i]);
            Assert.True(Math.Abs(run.Results[0].Item2[i] - exact) < 1.0 / 65536);
        }

        var expected = 0.0;
        for (var t = 0; t < d; t++)
        {
            expected += MpcHarness.Quantize(ms[t]) * MpcHarness.Quantize(ms[t * d]);
        }

        Assert.True(Math.Abs(run.Results[0].Item3 - expected) < 1.0 / 65536);
    }
}
