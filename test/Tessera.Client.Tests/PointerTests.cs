using Tessera.Client.Plans;
using Tessera.Contracts;

namespace Tessera.Client.Tests;

/// <summary>Pointers that read like tensors, plans run on a live node, and the access-request round trip.</summary>
public sealed class PointerTests(LiveNetwork network) : IClassFixture<LiveNetwork>
{
    private static readonly double[] Weights = [3.217, 2.981, 4.163];

    [Fact]
    public async Task GetAsync_PrivateMean_DeniedWithHowToAsk_ThenApprovedRequestReadsIt()
    {
        var datasetId = await PublishAsync();
        using var owner = await network.LoginOwnerAsync();
        using var scientist = await network.AddUserAsync(Role.DataScientist, Email("ds"));
        var w = scientist.Dataset(datasetId)["weight"];
        var mean = w.Mean();
        Assert.Null(mean.ObjectId);

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => mean.GetAsync());
        Assert.Contains(ApiRoutes.Requests, denied.HowToAsk, StringComparison.Ordinal);
        Assert.NotNull(mean.ObjectId);
        Assert.DoesNotContain("3.4", denied.Message, StringComparison.Ordinal);

        var request = await mean.RequestAccessAsync("cohort study");
        Assert.Equal(AccessRequestStatus.Pending, request.Status);
        Assert.Equal(mean.ObjectId, request.ObjectId);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var waiting = scientist.WaitForDecisionAsync(request.Id, TimeSpan.FromMilliseconds(50), timeout.Token);
        Assert.Contains(await owner.ListRequestsAsync(AccessRequestStatus.Pending), r => r.Id == request.Id);
        await owner.ApproveRequestAsync(request.Id, "fine");
        Assert.Equal(AccessRequestStatus.Approved, (await waiting).Status);

        var value = await mean.GetAsync();
        Assert.Equal(0, value.Rank);
        Assert.Equal(Weights.Average(), value.ToArray<double>()[0], 1e-9);
    }

    [Fact]
    public async Task DenyRequestAsync_RequestDenied_ValuesStayPrivate()
    {
        var datasetId = await PublishAsync();
        using var owner = await network.LoginOwnerAsync();
        using var scientist = await network.AddUserAsync(Role.DataScientist, Email("deny"));
        var total = scientist.Dataset(datasetId)["weight"].Sum(0);
        var request = await total.RequestAccessAsync("please");
        await owner.DenyRequestAsync(request.Id, "too identifying");
        var decided = await scientist.WaitForDecisionAsync(request.Id, TimeSpan.FromMilliseconds(50));
        Assert.Equal(AccessRequestStatus.Denied, decided.Status);
        Assert.Equal("too identifying", decided.DecisionReason);
        await Assert.ThrowsAsync<AccessDeniedException>(() => total.GetAsync());
        await Assert.ThrowsAsync<ConflictException>(() => owner.ApproveRequestAsync(request.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => scientist.ApproveRequestAsync(request.Id));
    }

    [Fact]
    public async Task Expressions_OwnerReads_MatchLocalArithmetic()
    {
        var datasetId = await PublishAsync();
        using var owner = await network.LoginOwnerAsync();
        var w = owner.Dataset(datasetId)["weight"];
        var centered = w - w.Mean();
        var variance = (centered * centered).Mean();
        var heavy = w.Filter(w.Gt(3.2)).Sum();
        var scaled = (w * 2 + 1) / 4;

        Assert.Equal(Weights.Sum(), (await w.Sum(0).GetAsync()).ToArray<double>()[0], 1e-9);
        var mean = Weights.Average();
        Assert.Equal(Weights.Select(x => (x - mean) * (x - mean)).Average(), (await variance.GetAsync()).ToArray<double>()[0], 1e-9);
        Assert.Equal(3.217 + 4.163, (await heavy.GetAsync()).ToArray<double>()[0], 1e-9);
        Assert.Equal(Weights.Select(x => ((x * 2) + 1) / 4).ToArray(), (await scaled.GetAsync()).ToArray<double>(), new Tolerance(1e-9));
        Assert.Equal(new[] { true, false, true }, (await w.Gt(3.2).GetAsync()).ToArray<bool>());
        Assert.Equal(-2.981, (await w.Narrow(0, 1, 2).Min().Neg().GetAsync()).ToArray<double>()[0], 1e-9);
    }

    [Fact]
    public async Task MaterializeAsync_Twice_RunsOnceAndReusesTheObjectInLaterPlans()
    {
        var datasetId = await PublishAsync();
        using var owner = await network.LoginOwnerAsync();
        var mean = owner.Dataset(datasetId)["weight"].Mean();
        var first = await mean.MaterializeAsync();
        var second = await mean.MaterializeAsync();
        Assert.Same(first, second);

        var shifted = mean + 1;
        var plan = PlanBuilder.Build([shifted]);
        Assert.Equal(["object", "add"], plan.Steps.Select(s => s.Op).ToArray());
        Assert.Equal(first.Id, plan.Steps[0].Object);
        Assert.Equal(Weights.Average() + 1, (await shifted.GetAsync()).ToArray<double>()[0], 1e-9);

        var again = owner.Object(first.Id);
        Assert.Equal(Weights.Average(), (await again.GetAsync()).ToArray<double>()[0], 1e-9);
    }

    [Fact]
    public async Task RunAsync_SeveralPointers_OnePlanEachGetsItsObject()
    {
        var datasetId = await PublishAsync();
        using var owner = await network.LoginOwnerAsync();
        var ds = owner.Dataset(datasetId);
        var pointers = new[] { ds["weight"].Max(), ds["age"].Min() };
        var objects = await owner.RunAsync(pointers);
        Assert.Equal(2, objects.Count);
        Assert.Equal(objects.Select(o => o.Id), pointers.Select(p => p.ObjectId));
        Assert.Equal(27, (await pointers[1].GetAsync()).ToArray<double>()[0]);
    }

    [Fact]
    public void PlanBuilder_SharedSubexpression_IsOneStep()
    {
        using var client = DomainClient.FromToken(new Uri("http://node.example/"), "token");
        var w = client.Dataset("d")["weight"];
        var plan = PlanBuilder.Build([w - w.Mean()]);
        Assert.Equal(["column", "mean", "sub"], plan.Steps.Select(s => s.Op).ToArray());
        Assert.Equal(["s0", "s1"], plan.Steps[2].Inputs);
        Assert.Equal(["s2"], plan.Outputs);
        Assert.Equal("weight", plan.Steps[0].Column);
    }

    [Fact]
    public async Task GetAsync_UnknownColumn_ThrowsInvalidRequestException()
    {
        var datasetId = await PublishAsync();
        using var owner = await network.LoginOwnerAsync();
        var bad = owner.Dataset(datasetId)["no-such-column"].Mean();
        await Assert.ThrowsAsync<InvalidRequestException>(() => bad.GetAsync());
        await Assert.ThrowsAsync<InvalidRequestException>(() => bad.MaterializeAsync());
        Assert.Null(bad.ObjectId);
    }

    [Fact]
    public async Task Combine_PointersOfDifferentSessions_ThrowsArgumentException()
    {
        var datasetId = await PublishAsync();
        using var a = await network.LoginOwnerAsync();
        using var b = await network.LoginOwnerAsync();
        Assert.Throws<ArgumentException>(() => a.Dataset(datasetId)["weight"] + b.Dataset(datasetId)["weight"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Dataset(datasetId)["weight"] * double.NaN);
        await Assert.ThrowsAsync<ArgumentException>(() => a.RunAsync([b.Dataset(datasetId)["weight"]]));
    }

    private async Task<string> PublishAsync()
    {
        using var owner = await network.LoginOwnerAsync();
        var info = await owner.PublishDatasetAsync(SdkTestData.CsvRequest("births-" + Guid.NewGuid().ToString("N")[..6], "pointers"),
            SdkTestData.CsvStream());
        return info.Id;
    }

    private static string Email(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8] + "@lab.example";

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
