using System.Diagnostics;
using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;
using Xunit.Abstractions;

namespace Tessera.Mpc.Tests;

/// <summary>
/// A quick measurement, not a timed test: exp, reciprocal and sigmoid of 1e5 elements with 2 parties plus a dealer in
/// process, printing seconds (party 0, correlations included) and MB that party 0 sent. It asserts only that samples are
/// close to the plaintext function.
/// </summary>
[Trait("Category", "Measurement")]
public sealed class ApproximationMeasurementTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Measure_ExpReciprocalSigmoid1e5_TwoPartiesAndDealer()
    {
        const int n = 100_000;
        var xs = MpcHarness.Uniform(n, 0.1, 10, seed: 40);
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var x = session.Share(0, session.Rank == 0 ? Tensor.FromArray(xs, n) : null, n);
            var lines = new List<string>();
            var exp = await TimeAsync("exp", () => session.ExpAsync(x).AsTask());
            var reciprocal = await TimeAsync("reciprocal", () => session.ReciprocalAsync(x).AsTask());
            var sigmoid = await TimeAsync("sigmoid", () => session.SigmoidAsync(x).AsTask());
            var samples = new List<double[]>();
            foreach (var y in new[] { exp, reciprocal, sigmoid })
            {
                samples.Add((await session.RevealAsync(y)).ToArray<double>()[..10]);
            }

            return (lines, samples);

            async Task<T> TimeAsync<T>(string name, Func<Task<T>> operation)
            {
                var bytes = session.Communicator.Statistics.BytesSent;
                var stopwatch = Stopwatch.StartNew();
                var result = await operation();
                lines.Add($"{name} of {n}: {stopwatch.Elapsed.TotalSeconds:F2} s, party 0 sent "
                    + $"{(session.Communicator.Statistics.BytesSent - bytes) / 1e6:F1} MB");
                return result;
            }
        }, async dealer =>
        {
            await dealer.ServeExpAsync(n);
            await dealer.ServeReciprocalAsync(n);
            await dealer.ServeSigmoidAsync(n);
        });

        run.Results[0].lines.ForEach(output.WriteLine);
        var samples = run.Results[0].samples;
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(Math.Exp(xs[i]), samples[0][i], Math.Exp(xs[i]) * 0.2);
            Assert.Equal(1 / xs[i], samples[1][i], 2e-3);
            Assert.Equal(1 / (1 + Math.Exp(-xs[i])), samples[2][i], 1e-3);
        }
    }
}
