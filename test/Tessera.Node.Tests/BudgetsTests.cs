using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Tessera.Contracts;
using static Tessera.Node.Tests.DatasetsTestData;

namespace Tessera.Node.Tests;

/// <summary>Privacy budgets and differentially private releases, on SQLite and PostgreSQL.</summary>
public abstract class BudgetsTests
{
    private readonly NodeFactory _node;

    protected BudgetsTests(NodeFactory node) => _node = node;

    private async Task<(HttpClient Owner, DatasetInfo Dataset, double[] Weights)> PublishAsync(string name, int rows = 500)
    {
        var owner = await _node.LoginAsync();
        var random = new Random(5);
        var weights = Enumerable.Range(0, rows).Select(_ => Math.Round(2.5 + (2 * random.NextDouble()), 3)).ToArray();
        var csv = new StringBuilder("weight\n");
        foreach (var w in weights)
        {
            csv.Append(w.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        var request = new DatasetCreateRequest(name, "births", DatasetFormat.Csv, [name], [new("weight", 0.5, 6)], [], false);
        return (owner, await DatasetsTestData.PublishAsync(owner, request, Utf8(csv.ToString())), weights);
    }

    private static async Task<HttpResponseMessage> ReleaseAsync(HttpClient client, DatasetInfo dataset, string aggregate, double epsilon, double delta = 0) =>
        await client.PostAsJsonAsync(ApiRoutes.Releases, new ReleaseRequest(dataset.Id, "weight", aggregate, epsilon, delta), NodeFactory.Json);

    private static async Task SetBudgetAsync(HttpClient owner, UserInfo user, DatasetInfo dataset, double epsilon, double delta = 0)
    {
        var response = await owner.PutAsJsonAsync(ApiRoutes.Budgets, new BudgetSet(user.Id, dataset.Id, epsilon, delta), NodeFactory.Json);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Race_100ConcurrentReleases_BudgetFor10_Exactly10Succeed()
    {
        var (owner, dataset, _) = await PublishAsync("race");
        var (scientist, user) = await _node.AddUserAsync(Role.DataScientist, "ds-race@lab.example");
        await SetBudgetAsync(owner, user, dataset, 1.0);

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => ReleaseAsync(scientist, dataset, "mean", 0.1))));

        var codes = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(10, codes.Count(c => c == HttpStatusCode.OK));
        Assert.Equal(90, codes.Count(c => c == HttpStatusCode.Forbidden));
        var budget = Assert.Single((await owner.GetFromJsonAsync<List<BudgetInfo>>($"{ApiRoutes.Budgets}?datasetId={dataset.Id}", NodeFactory.Json))!);
        Assert.Equal(1.0, budget.EpsilonSpent, 9);
        Assert.Equal(10, budget.Releases);
        var audit = await owner.GetFromJsonAsync<List<AuditEntryInfo>>(ApiRoutes.Audit + "?limit=1000", NodeFactory.Json);
        Assert.Equal(10, audit!.Count(a => a.Action == "release.mean" && a.Outcome == "success"));
        Assert.Equal(90, audit!.Count(a => a.Action == "release.mean" && a.Outcome == "denied"));
    }

    [Fact]
    public async Task Release_IsNoisyButClose_ChargesTheBudget_AndSaysWhatIsLeft()
    {
        var (owner, dataset, weights) = await PublishAsync("release-close", rows: 2000);
        var (scientist, user) = await _node.AddUserAsync(Role.DataScientist, "ds-close@lab.example");
        await SetBudgetAsync(owner, user, dataset, 10, 1e-5);

        var mean = (await (await ReleaseAsync(scientist, dataset, "mean", 2)).Content.ReadFromJsonAsync<ReleaseResponse>(NodeFactory.Json))!;
        var count = (await (await ReleaseAsync(scientist, dataset, "count", 1, 1e-6)).Content.ReadFromJsonAsync<ReleaseResponse>(NodeFactory.Json))!;

        // Mean: sensitivity about 6/2000 per unit epsilon; 0.05 is many standard deviations. Count: noise of scale ~ 5.
        Assert.InRange(mean.Value, weights.Average() - 0.05, weights.Average() + 0.05);
        Assert.InRange(count.Value, 2000 - 60, 2000 + 60);
        Assert.Equal(7, count.EpsilonRemaining, 9);
        Assert.Equal(1e-5 - 1e-6, count.DeltaRemaining, 15);
        Assert.Contains("Gaussian", count.Mechanism, StringComparison.Ordinal);
        var mine = await scientist.GetFromJsonAsync<List<BudgetInfo>>(ApiRoutes.Budgets, NodeFactory.Json);
        Assert.Equal(3, Assert.Single(mine!).EpsilonSpent, 9);
    }

    [Fact]
    public async Task Release_WithoutBudget_Answers403WithHowToAsk_ThenABudgetRequestAddsIt()
    {
        var (owner, dataset, _) = await PublishAsync("release-ask");
        var (scientist, user) = await _node.AddUserAsync(Role.DataScientist, "ds-ask@lab.example");

        var refused = await ReleaseAsync(scientist, dataset, "sum", 0.5);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("\\\"epsilon\\\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var asked = await scientist.PostAsJsonAsync(ApiRoutes.Requests, new AccessRequestCreate(null, "weights study", dataset.Id, 0.5), NodeFactory.Json);
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        var request = (await asked.Content.ReadFromJsonAsync<AccessRequestInfo>(NodeFactory.Json))!;
        Assert.Equal(AccessRequestKind.Budget, request.Kind);
        Assert.Equal(HttpStatusCode.Conflict,
            (await scientist.PostAsJsonAsync(ApiRoutes.Requests, new AccessRequestCreate(null, "again", dataset.Id, 0.5), NodeFactory.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsJsonAsync(Route(ApiRoutes.RequestApprove, request.Id), new AccessDecision("ok"), NodeFactory.Json)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await ReleaseAsync(scientist, dataset, "sum", 0.5)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ReleaseAsync(scientist, dataset, "sum", 0.001)).StatusCode);
        var budget = Assert.Single((await owner.GetFromJsonAsync<List<BudgetInfo>>($"{ApiRoutes.Budgets}?userId={user.Id}", NodeFactory.Json))!);
        Assert.Equal(0.5, budget.Epsilon, 9);
        Assert.Equal(0.5, budget.EpsilonSpent, 9);
    }

    [Theory]
    [InlineData("median", 1.0, 0.0, "'aggregate'")]
    [InlineData("mean", 0.0, 0.0, "'epsilon'")]
    [InlineData("mean", -1.0, 0.0, "'epsilon'")]
    [InlineData("mean", 11.0, 0.0, "'epsilon'")]
    [InlineData("mean", 1.0, 0.5, "'delta'")]
    [InlineData("mean", 1.0, -1e-9, "'delta'")]
    public async Task Release_BadArguments_Answer400NamingThem(string aggregate, double epsilon, double delta, string fragment)
    {
        var (owner, dataset, _) = await PublishAsync($"bad-{aggregate}-{epsilon}-{delta}".Replace('.', '-'));
        var (scientist, user) = await _node.AddUserAsync(Role.DataScientist, $"ds-bad-{Guid.NewGuid():N}@lab.example");
        await SetBudgetAsync(owner, user, dataset, 100, 1e-4);
        var response = await ReleaseAsync(scientist, dataset, aggregate, epsilon, delta);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(fragment, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, Assert.Single((await scientist.GetFromJsonAsync<List<BudgetInfo>>(ApiRoutes.Budgets, NodeFactory.Json))!).EpsilonSpent);
    }

    [Theory]
    [InlineData("""{"datasetId":"DS","epsilon":0,"reason":"more"}""", "epsilon")]
    [InlineData("""{"datasetId":"DS","epsilon":11,"reason":"more"}""", "epsilon")]
    [InlineData("""{"datasetId":"DS","epsilon":"NaN","reason":"more"}""", "epsilon")]
    [InlineData("""{"datasetId":"DS","reason":"more"}""", "epsilon")]
    [InlineData("""{"datasetId":"DS","objectId":"0123456789abcdef0123456789abcdef","epsilon":1,"reason":"both"}""", "objectId")]
    [InlineData("""{"reason":"neither"}""", "objectId")]
    public async Task BudgetRequest_BadBody_Answers400NamingTheField_AndAddsNothing(string template, string fragment)
    {
        var (owner, dataset, _) = await PublishAsync($"badreq-{Guid.NewGuid():N}"[..24]);
        var (scientist, _) = await _node.AddUserAsync(Role.DataScientist, $"ds-badreq-{Guid.NewGuid():N}@lab.example");
        var response = await scientist.PostAsync(ApiRoutes.Requests,
            new StringContent(template.Replace("DS", dataset.Id, StringComparison.Ordinal), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(fragment, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain((await owner.GetFromJsonAsync<List<AccessRequestInfo>>(ApiRoutes.Requests + "?status=Pending", NodeFactory.Json))!,
            r => r.ObjectId == dataset.Id);
    }

    [Fact]
    public async Task Budgets_OnlyStaffSetThem_EachScientistSeesHerOwn_BadIdsAnswer404()
    {
        var (owner, dataset, _) = await PublishAsync("budgets-access");
        var (scientist, user) = await _node.AddUserAsync(Role.DataScientist, "ds-access@lab.example");
        var (other, otherUser) = await _node.AddUserAsync(Role.DataScientist, "ds-access-other@lab.example");
        await SetBudgetAsync(owner, user, dataset, 2);
        await SetBudgetAsync(owner, otherUser, dataset, 3);

        Assert.Equal(HttpStatusCode.Forbidden,
            (await scientist.PutAsJsonAsync(ApiRoutes.Budgets, new BudgetSet(user.Id, dataset.Id, 100), NodeFactory.Json)).StatusCode);
        Assert.Equal(2, Assert.Single((await scientist.GetFromJsonAsync<List<BudgetInfo>>(ApiRoutes.Budgets, NodeFactory.Json))!).Epsilon);
        Assert.Equal(3, Assert.Single((await other.GetFromJsonAsync<List<BudgetInfo>>(ApiRoutes.Budgets, NodeFactory.Json))!).Epsilon);
        Assert.Equal(2, (await owner.GetFromJsonAsync<List<BudgetInfo>>($"{ApiRoutes.Budgets}?datasetId={dataset.Id}", NodeFactory.Json))!.Count);
        Assert.Equal(HttpStatusCode.NotFound,
            (await owner.PutAsJsonAsync(ApiRoutes.Budgets, new BudgetSet("' OR 1=1 --", dataset.Id, 1), NodeFactory.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await owner.PutAsJsonAsync(ApiRoutes.Budgets, new BudgetSet(user.Id, "0123456789abcdef0123456789abcdef", 1), NodeFactory.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await owner.PutAsJsonAsync(ApiRoutes.Budgets, new BudgetSet(user.Id, dataset.Id, double.NaN), NodeFactory.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ReleaseAsync(scientist, dataset with { Id = "0123456789abcdef0123456789abcdef" }, "mean", 1)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _node.CreateClient().GetAsync(ApiRoutes.Budgets)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await _node.CreateClient().PostAsJsonAsync(ApiRoutes.Releases, new ReleaseRequest(dataset.Id, "weight", "mean", 1), NodeFactory.Json)).StatusCode);
        var (guest, _) = await _node.AddUserAsync(Role.Guest, "guest-budget@lab.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await ReleaseAsync(guest, dataset, "mean", 1)).StatusCode);
    }
}

/// <summary>The budget tests on SQLite.</summary>
public sealed class SqliteBudgetsTests(NodeFactory node) : BudgetsTests(node), IClassFixture<NodeFactory>;

/// <summary>The budget tests on PostgreSQL.</summary>
[Trait("Category", "Slow")]
public sealed class PostgresBudgetsTests(PostgresNodeFactory node) : BudgetsTests(node), IClassFixture<PostgresNodeFactory>;
