using System.Net;
using System.Net.Http.Json;
using System.Text;
using Tessera.Contracts;
using static Tessera.Node.Tests.DatasetsTestData;

namespace Tessera.Node.Tests;

/// <summary>Use case 1 in process: remote statistics on birth records through plans, with results released only on approval.</summary>
public abstract class PlansTests
{
    private const string Births = "weight,height\n3.4172931,50.2817301\n2.9918273,48.1928374\n3.7781920,52.0019283\n3.1002847,49.7718293\n";

    private static readonly DatasetColumn[] BirthColumns = [new("weight", 0.5, 6), new("height", 30, 70)];

    private readonly NodeFactory _node;

    protected PlansTests(NodeFactory node) => _node = node;

    private async Task<(HttpClient Owner, DatasetInfo Dataset)> PublishBirthsAsync(string name, string[]? readers = null)
    {
        var owner = await _node.LoginAsync();
        var request = new DatasetCreateRequest(name, "February birth records", DatasetFormat.Csv, ["birth-records", "february"],
            BirthColumns, readers ?? [], MockProvided: false);
        return (owner, await PublishAsync(owner, request, Utf8(Births)));
    }

    private static PlanRequest Plan(params (string Id, PlanStep Step)[] steps) => new([.. steps.Select(s => s.Step)], [steps[^1].Id]);

    private static PlanStep Col(string id, DatasetInfo d, string column) => new(id, "column", Dataset: d.Id, Column: column);

    private static async Task<ObjectInfo> RunAsync(HttpClient client, PlanRequest plan)
    {
        var response = await client.PostAsJsonAsync(ApiRoutes.Plans, plan, NodeFactory.Json);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PlanResponse>(NodeFactory.Json))!.Outputs.Single();
    }

    private static double[] Column(int index) =>
        [.. Births.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => double.Parse(l.Split(',')[index], System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async Task UseCase1_SumAndMeanRemotely_MeanReleasedOnlyAfterApproval_ToThatRequesterOnly()
    {
        var (owner, births) = await PublishBirthsAsync("births-uc1");
        var (scientist, _) = await _node.AddUserAsync(Role.DataScientist, "ds-uc1@lab.example");
        var (other, _) = await _node.AddUserAsync(Role.DataScientist, "ds-other@lab.example");

        // The raw column is private: a plan can point at it, but reading it is refused with how to ask.
        var raw = await RunAsync(scientist, new PlanRequest([Col("w", births, "weight")], ["w"]));
        Assert.Equal([4], raw.Shape);
        var denied = await scientist.GetAsync(Route(ApiRoutes.ObjectValue, raw.Id));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var deniedText = await denied.Content.ReadAsStringAsync();
        Assert.Contains(ApiRoutes.Requests, deniedText, StringComparison.Ordinal);
        Assert.DoesNotContain("3.4172931", deniedText, StringComparison.Ordinal);

        // Sum and means are computed remotely and stay private objects.
        var sum = await RunAsync(scientist, Plan(("w", Col("w", births, "weight")), ("s", new PlanStep("s", "sum", ["w"]))));
        Assert.Empty(sum.Shape);
        var meanW = await RunAsync(scientist, Plan(("w", Col("w", births, "weight")), ("m", new PlanStep("m", "mean", ["w"]))));
        var meanH = await RunAsync(scientist, Plan(("h", Col("h", births, "height")), ("m", new PlanStep("m", "mean", ["h"]))));
        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.GetAsync(Route(ApiRoutes.ObjectValue, meanW.Id))).StatusCode);

        // She asks; the owner sees the request and approves the mean of the weights only.
        var created = await scientist.PostAsJsonAsync(ApiRoutes.Requests, new AccessRequestCreate(meanW.Id, "Average birth weight for the report"), NodeFactory.Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var request = (await created.Content.ReadFromJsonAsync<AccessRequestInfo>(NodeFactory.Json))!;
        var pending = await owner.GetFromJsonAsync<List<AccessRequestInfo>>(ApiRoutes.Requests + "?status=Pending", NodeFactory.Json);
        Assert.Contains(pending!, r => r.Id == request.Id && r.Reason == "Average birth weight for the report");
        var approved = await owner.PostAsJsonAsync(Route(ApiRoutes.RequestApprove, request.Id), new AccessDecision("Aggregate over 4 births"), NodeFactory.Json);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        var value = await scientist.GetFromJsonAsync<ObjectValue>(Route(ApiRoutes.ObjectValue, meanW.Id), NodeFactory.Json);
        Assert.Equal(Column(0).Average(), value!.Values.Single(), 12);

        // Nothing else was released: not the sum, not the height mean, not the raw column, and not to anyone else.
        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.GetAsync(Route(ApiRoutes.ObjectValue, sum.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.GetAsync(Route(ApiRoutes.ObjectValue, meanH.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.GetAsync(Route(ApiRoutes.ObjectValue, raw.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(Route(ApiRoutes.ObjectValue, meanW.Id))).StatusCode);

        // The owner reads anything; the audit log has the run, the denied reads, the request and the approval.
        var ownerSum = await owner.GetFromJsonAsync<ObjectValue>(Route(ApiRoutes.ObjectValue, sum.Id), NodeFactory.Json);
        Assert.Equal(Column(0).Sum(), ownerSum!.Values.Single(), 12);
        var audit = await owner.GetFromJsonAsync<List<AuditEntryInfo>>(ApiRoutes.Audit + "?limit=1000", NodeFactory.Json);
        Assert.Contains(audit!, e => e.Action == "object.read" && e.Outcome == "denied" && e.Subject == meanW.Id);
        Assert.Contains(audit!, e => e.Action == "request.approve" && e.Subject == request.Id);
        Assert.Contains(audit!, e => e.Action == "object.read" && e.Outcome == "success" && e.Subject == meanW.Id);
    }

    [Fact]
    public async Task DeniedRequest_StaysDenied_AndDecisionsAreFinal()
    {
        var (owner, births) = await PublishBirthsAsync("births-deny");
        var (scientist, _) = await _node.AddUserAsync(Role.DataScientist, "ds-deny@lab.example");
        var max = await RunAsync(scientist, Plan(("w", Col("w", births, "weight")), ("m", new PlanStep("m", "max", ["w"]))));
        var request = (await (await scientist.PostAsJsonAsync(ApiRoutes.Requests, new AccessRequestCreate(max.Id, "heaviest baby"), NodeFactory.Json))
            .Content.ReadFromJsonAsync<AccessRequestInfo>(NodeFactory.Json))!;
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsJsonAsync(Route(ApiRoutes.RequestDeny, request.Id), new AccessDecision("identifies a baby"), NodeFactory.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.GetAsync(Route(ApiRoutes.ObjectValue, max.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await owner.PostAsJsonAsync(Route(ApiRoutes.RequestApprove, request.Id), new AccessDecision("changed my mind"), NodeFactory.Json)).StatusCode);
        var mine = await scientist.GetFromJsonAsync<List<AccessRequestInfo>>(ApiRoutes.Requests, NodeFactory.Json);
        Assert.Equal(AccessRequestStatus.Denied, mine!.Single(r => r.Id == request.Id).Status);
        Assert.Equal("identifies a baby", mine!.Single(r => r.Id == request.Id).DecisionReason);
    }

    [Fact]
    public async Task DatasetReader_ReadsOwnResultsDirectly()
    {
        var (scientist, user) = await _node.AddUserAsync(Role.DataScientist, "ds-reader@lab.example");
        var (_, births) = await PublishBirthsAsync("births-readers", readers: [user.Id]);
        var filtered = await RunAsync(scientist, Plan(
            ("w", Col("w", births, "weight")), ("heavy", new PlanStep("heavy", "gt", ["w"], Scalar: 3.2)), ("f", new PlanStep("f", "filter", ["w", "heavy"]))));
        var value = await scientist.GetFromJsonAsync<ObjectValue>(Route(ApiRoutes.ObjectValue, filtered.Id), NodeFactory.Json);
        Assert.Equal(Column(0).Where(w => w > 3.2).ToArray(), value!.Values.ToArray());
    }

    [Fact]
    public async Task Plan_Arithmetic_Stack_MatMul_ObjectReuse_MatchLocalMath()
    {
        var (owner, births) = await PublishBirthsAsync("births-math");
        var table = await RunAsync(owner, new PlanRequest(
            [Col("w", births, "weight"), Col("h", births, "height"), new PlanStep("t", "stack", ["w", "h"], Dims: [1])], ["t"]));
        Assert.Equal([4, 2], table.Shape);
        var gram = await RunAsync(owner, new PlanRequest(
            [new PlanStep("t", "object", Object: table.Id), new PlanStep("tt", "transpose", ["t"]), new PlanStep("g", "matmul", ["tt", "t"]),
                new PlanStep("s", "div", ["g"], Scalar: 4)], ["s"]));
        var value = await owner.GetFromJsonAsync<ObjectValue>(Route(ApiRoutes.ObjectValue, gram.Id), NodeFactory.Json);
        var (w, h) = (Column(0), Column(1));
        Assert.Equal(w.Zip(w, (a, b) => a * b).Sum() / 4, value!.Values[0], 9);
        Assert.Equal(w.Zip(h, (a, b) => a * b).Sum() / 4, value.Values[1], 9);
        Assert.Equal(h.Zip(h, (a, b) => a * b).Sum() / 4, value.Values[3], 9);
    }

    [Fact]
    public async Task Plan_Indexing_NarrowAndSelect_MatchLocalValues()
    {
        var (owner, births) = await PublishBirthsAsync("births-index");
        var middle = await RunAsync(owner, Plan(("w", Col("w", births, "weight")), ("n", new PlanStep("n", "narrow", ["w"], Start: 1, Length: 2))));
        var last = await RunAsync(owner, Plan(("w", Col("w", births, "weight")), ("s", new PlanStep("s", "select", ["w"], Start: -1))));
        Assert.Equal(Column(0)[1..3], (await owner.GetFromJsonAsync<ObjectValue>(Route(ApiRoutes.ObjectValue, middle.Id), NodeFactory.Json))!.Values.ToArray());
        Assert.Equal(Column(0)[^1], (await owner.GetFromJsonAsync<ObjectValue>(Route(ApiRoutes.ObjectValue, last.Id), NodeFactory.Json))!.Values.Single());
        var outside = await owner.PostAsJsonAsync(ApiRoutes.Plans,
            Plan(("w", Col("w", births, "weight")), ("n", new PlanStep("n", "narrow", ["w"], Start: 3, Length: 2))), NodeFactory.Json);
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("leaves dimension 0", await outside.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"steps":[{"id":"a","op":"System.IO.File.Delete"}],"outputs":["a"]}""", "not an allowed operation")]
    [InlineData("""{"steps":[{"id":"a","op":"sum","inputs":["zzz"]}],"outputs":["a"]}""", "not an earlier step")]
    [InlineData("""{"steps":[{"id":"a","op":"sum","inputs":["a"]}],"outputs":["a"]}""", "not an earlier step")]
    [InlineData("""{"steps":[{"id":"a","op":"column","dataset":"0123456789abcdef0123456789abcdef","column":"weight"}],"outputs":["a"]}""", "no dataset")]
    [InlineData("""{"steps":[{"id":"a","op":"object","object":"../../etc/passwd"}],"outputs":["a"]}""", "no object")]
    [InlineData("""{"steps":[{"id":"'; DROP TABLE users; --","op":"sum"}],"outputs":["x"]}""", "'id'")]
    [InlineData("""{"steps":[],"outputs":[]}""", "1 to 256 steps")]
    [InlineData("""{"steps":[{"id":"a","op":"sum"}],"outputs":["b"]}""", "takes one numeric input")]
    public async Task Plan_Bad_Answers400NamingTheProblem(string json, string fragment)
    {
        var (scientist, _) = await _node.AddUserAsync(Role.DataScientist, $"ds-bad-{Guid.NewGuid():N}@lab.example");
        var response = await scientist.PostAsync(ApiRoutes.Plans, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(fragment, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_AbsurdShapes_RefusedBeforeComputing()
    {
        var (owner, births) = await PublishBirthsAsync("births-absurd");
        // 4 x 4 stacked 1024 times, twice, gives [1024, 1024, 4]: fine; an outer product chain past the limits is refused.
        var steps = new List<PlanStep> { Col("w", births, "weight") };
        var previous = "w";
        for (var i = 0; i < 12; i++)
        {
            steps.Add(new PlanStep($"s{i}", "stack", [.. Enumerable.Repeat(previous, 8)]));
            previous = $"s{i}";
        }

        var response = await owner.PostAsJsonAsync(ApiRoutes.Plans, new PlanRequest(steps, [previous]), NodeFactory.Json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("elements", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_MalformedJson_Answers400() =>
        Assert.Equal(HttpStatusCode.BadRequest,
            (await (await _node.LoginAsync()).PostAsync(ApiRoutes.Plans, new StringContent("{\"steps\": [", Encoding.UTF8, "application/json"))).StatusCode);

    [Fact]
    public async Task Guest_CannotRunPlans()
    {
        var (guest, _) = await _node.AddUserAsync(Role.Guest, "guest-plans@lab.example");
        var response = await guest.PostAsJsonAsync(ApiRoutes.Plans, new PlanRequest([new PlanStep("a", "sum")], ["a"]), NodeFactory.Json);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("POST", ApiRoutes.Plans)]
    [InlineData("GET", ApiRoutes.Object)]
    [InlineData("GET", ApiRoutes.ObjectValue)]
    [InlineData("GET", ApiRoutes.Requests)]
    [InlineData("POST", ApiRoutes.Requests)]
    [InlineData("POST", ApiRoutes.RequestApprove)]
    [InlineData("POST", ApiRoutes.RequestDeny)]
    public async Task Endpoints_WithoutToken_Answer401(string method, string route)
    {
        var response = await _node.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), Route(route, "0123456789abcdef0123456789abcdef")));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("not-an-id")]
    [InlineData("' OR 1=1 --")]
    public async Task GuessedOrMalformedIds_Answer404(string id)
    {
        var (scientist, _) = await _node.AddUserAsync(Role.DataScientist, $"ds-guess-{Guid.NewGuid():N}@lab.example");
        var owner = await _node.LoginAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await scientist.GetAsync(Route(ApiRoutes.Object, Uri.EscapeDataString(id)))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scientist.GetAsync(Route(ApiRoutes.ObjectValue, Uri.EscapeDataString(id)))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await scientist.PostAsJsonAsync(ApiRoutes.Requests, new AccessRequestCreate(id, "please"), NodeFactory.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await owner.PostAsJsonAsync(Route(ApiRoutes.RequestApprove, Uri.EscapeDataString(id)), new AccessDecision("ok"), NodeFactory.Json)).StatusCode);
    }

    [Fact]
    public async Task DataScientist_CannotDecideRequests()
    {
        var (scientist, _) = await _node.AddUserAsync(Role.DataScientist, "ds-decide@lab.example");
        Assert.Equal(HttpStatusCode.Forbidden,
            (await scientist.PostAsJsonAsync(Route(ApiRoutes.RequestApprove, "0123456789abcdef0123456789abcdef"), new AccessDecision("self"), NodeFactory.Json)).StatusCode);
    }

    [Fact]
    public async Task Request_WithoutReason_Answers400()
    {
        var (owner, births) = await PublishBirthsAsync("births-reason");
        var (scientist, _) = await _node.AddUserAsync(Role.DataScientist, "ds-reason@lab.example");
        var mean = await RunAsync(scientist, Plan(("w", Col("w", births, "weight")), ("m", new PlanStep("m", "mean", ["w"]))));
        Assert.Equal(HttpStatusCode.BadRequest,
            (await scientist.PostAsJsonAsync(ApiRoutes.Requests, new AccessRequestCreate(mean.Id, " "), NodeFactory.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await scientist.PostAsJsonAsync(ApiRoutes.Requests, new AccessRequestCreate(mean.Id, new string('x', 1001)), NodeFactory.Json)).StatusCode);
        _ = owner;
    }
}

/// <summary>The plan tests on SQLite.</summary>
public sealed class SqlitePlansTests(NodeFactory node) : PlansTests(node), IClassFixture<NodeFactory>;

/// <summary>The plan tests on PostgreSQL.</summary>
[Trait("Category", "Slow")]
public sealed class PostgresPlansTests(PostgresNodeFactory node) : PlansTests(node), IClassFixture<PostgresNodeFactory>;
