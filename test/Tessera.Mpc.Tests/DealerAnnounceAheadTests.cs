using Tessera.Mpc.Learning;
using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;

namespace Tessera.Mpc.Tests;

/// <summary>
/// Announcing ahead in <see cref="DealerMode.OnRequest"/>: an operation tells the dealer all of its requests at its start
/// (from its own dealer script), the results are unchanged, nothing is announced twice, and a request that does not
/// follow the announced plan is refused on party 0 before anything is used.
/// </summary>
public sealed class DealerAnnounceAheadTests
{
    [Fact]
    public void RequestPlan_RecordsTheScriptsRequestsInOrder()
    {
        var plan = RequestPlan.Of(d => d.ServeReluAsync(10));
        Assert.Equal(
            ["EdaBits(10, 0, 0)", "SignTreeTriple(10, 0, 0)", "BitProducts(10, 0, 0)"],
            plan.Requests.Select(r => r.ToString()));
    }

    [Fact]
    public void RequestPlan_ScriptThatWaitsOnSomethingElse_IsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RequestPlan.Of(async _ => await Task.Delay(10)));
        Assert.Contains("waited on something other than the plan", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Sigmoid_AnnouncedAhead_Party0SendsEveryRequestBeforeItsFirstOpeningAndResultsMatch(int parties)
    {
        double[] xs = [-9, -2.5, -0.5, 0, 0.75, 3, 12];
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = session.Share(0, session.Rank == 0 ? Tensor.FromArray(xs, xs.Length) : null, xs.Length);
            var sigmoid = await session.SigmoidAsync(x);
            return (await session.RevealAsync(sigmoid)).ToArray<double>();
        });

        foreach (var result in run.Results)
        {
            for (var i = 0; i < xs.Length; i++)
            {
                Assert.Equal(1 / (1 + Math.Exp(-xs[i])), result[i], 2e-3);
            }
        }

        // Every descriptor of the sigmoid went to the dealer before party 0 opened anything to another party; only the
        // goodbye comes after.
        var party0 = run.Log.Where(m => m.From == 0 && m.Operation != "setup").ToArray();
        var firstOpening = Array.FindIndex(party0, m => m.To != run.Dealer);
        var requests = Enumerable.Range(0, party0.Length).Where(i => party0[i].To == run.Dealer && party0[i].Operation == "dealer-request").ToArray();
        var announced = requests.Length;
        Assert.True(firstOpening > 0);
        Assert.All(requests[..^1], i => Assert.True(i < firstOpening, $"request {i} after the first opening at {firstOpening}"));
        Assert.Equal(RequestPlan.Of(d => d.ServeSigmoidAsync(xs.Length)).Requests.Count + 1, announced);
        Assert.Equal(announced - 1, run.DealerCorrections.Length);
        run.AssertCorrectionsRotate();
    }

    [Fact]
    public async Task LogisticRegressionEpoch_AnnouncedAhead_MatchesScriptedDealer()
    {
        var patients = SyntheticPatients.Generate(200, 5, seed: 3);
        var options = new LogisticRegressionOptions { BatchSize = 50, LearningRate = 0.5 };
        async Task<double[]> Train(MpcSession session)
        {
            var x = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? patients.FeatureRows(0, 200) : null, 200, 5);
            var y = EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? patients.LabelRows(0, 200) : null, 200, 1);
            var model = new EncryptedLogisticRegression(session, 5, options);
            await model.TrainEpochAsync(x, y);
            return (await model.Weights.DecryptAsync()).ToArray<double>();
        }

        var onRequest = await MpcHarness.RunAsync(2, Train);
        var scripted = await MpcHarness.RunAsync(2, Train, async d => await d.ServeLogisticRegressionAsync(200, 5, 1, options));
        for (var i = 0; i < onRequest.Results[0].Length; i++)
        {
            // Stochastic rounding differs between runs; the weights agree to a few ulps of 2^-16 per step.
            Assert.Equal(scripted.Results[0][i], onRequest.Results[0][i], 2e-3);
        }
    }

    [Fact]
    public async Task RequestOffThePlan_IsRefusedOnParty0NamingBothRequests()
    {
        // Party 0 stops at its first request, before it sends anything to party 1, so party 1 has nothing to wait for.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => MpcHarness.RunAsync(2, async session =>
        {
            var x = session.Share(0, session.Rank == 0 ? Tensor.Full([4], 1.0, DType.Float64) : null, 4);
            if (session.Rank == 0)
            {
                await session.Provider.AnnounceAheadAsync(d => d.ServeExpAsync(4));
                await session.ReluAsync(x);
            }

            return 0;
        }));
        var refusal = Assert.IsType<InvalidOperationException>(Flatten(error).First(e => e is InvalidOperationException));
        Assert.True(refusal.Message.Contains("asked for EdaBits(4, 0, 0)", StringComparison.Ordinal), refusal.Message);
        var firstOfExp = RequestPlan.Of(d => d.ServeExpAsync(4)).Requests[0];
        Assert.Contains($"announced {firstOfExp} to the dealer ahead of time", refusal.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException a ? a.InnerExceptions.SelectMany(Flatten) : e.InnerException is null ? [e] : [e, .. Flatten(e.InnerException)];
}
