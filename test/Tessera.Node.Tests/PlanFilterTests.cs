using System.Net;
using System.Net.Http.Json;
using Tessera.Contracts;
using static Tessera.Node.Tests.DatasetsTestData;

namespace Tessera.Node.Tests;

/// <summary>
/// A filter's row count is data-dependent and private: the node describes the result by an upper bound and refuses any step
/// whose success or failure would reveal the real count, and plans read safetensors tensors as well as CSV columns.
/// </summary>
public sealed class PlanFilterTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    private const string Births = "weight,height\n3.4,50.2\n2.9,48.1\n3.7,52.0\n3.1,49.7\n2.5,47.0\n";

    private async Task<(HttpClient Owner, DatasetInfo Dataset)> PublishAsync(string name)
    {
        var owner = await node.LoginAsync();
        var request = new DatasetCreateRequest(name, "births", DatasetFormat.Csv, ["births"], [new("weight", 0.5, 6), new("height", 30, 70)], [], false);
        return (owner, await DatasetsTestData.PublishAsync(owner, request, Utf8(Births)));
    }

    private static PlanStep Col(string id, DatasetInfo d, string column) => new(id, "column", Dataset: d.Id, Column: column);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, params PlanStep[] steps) =>
        await client.PostAsJsonAsync(ApiRoutes.Plans, new PlanRequest(steps, [steps[^1].Id]), NodeFactory.Json);

    private static async Task<ObjectInfo> RunAsync(HttpClient client, params PlanStep[] steps)
    {
        var response = await PostAsync(client, steps);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PlanResponse>(NodeFactory.Json))!.Outputs.Single();
    }

    private static async Task<ObjectValue> ReadAsync(HttpClient client, ObjectInfo info) =>
        (await client.GetFromJsonAsync<ObjectValue>(Route(ApiRoutes.ObjectValue, info.Id), NodeFactory.Json))!;

    [Fact]
    public async Task Filter_DescribesRowsByUpperBound_RealCountOnlyInTheReadableValue()
    {
        var (owner, births) = await PublishAsync("filter-bound");
        var (scientist, _) = await node.AddUserAsync(Role.DataScientist, "ds-bound@lab.example");
        var heavy = await RunAsync(scientist, Col("w", births, "weight"), new PlanStep("m", "gt", ["w"], Scalar: 3.0),
            new PlanStep("f", "filter", ["w", "m"]));

        Assert.Equal([5], heavy.Shape);
        Assert.True(heavy.RowsUpperBound);
        var described = await scientist.GetFromJsonAsync<ObjectInfo>(Route(ApiRoutes.Object, heavy.Id), NodeFactory.Json);
        Assert.Equal([5], described!.Shape);
        Assert.True(described.RowsUpperBound);

        var value = await ReadAsync(owner, heavy);
        Assert.Equal([3], value.Shape);
        Assert.Equal([3.4, 3.7, 3.1], value.Values);
    }

    [Fact]
    public async Task FilteredRows_ReduceAndElementwise_ComputeOnTheMatchingRows()
    {
        var (owner, births) = await PublishAsync("filter-reduce");
        var (scientist, _) = await node.AddUserAsync(Role.DataScientist, "ds-reduce@lab.example");
        var mean = await RunAsync(scientist, Col("w", births, "weight"), Col("h", births, "height"),
            new PlanStep("a", "gt", ["w"], Scalar: 3.0), new PlanStep("b", "lt", ["h"], Scalar: 52.0), new PlanStep("ab", "and", ["a", "b"]),
            new PlanStep("f", "filter", ["h", "ab"]), new PlanStep("g", "mul", ["f"], Scalar: 2), new PlanStep("m", "mean", ["g"]));

        Assert.Empty(mean.Shape);
        Assert.False(mean.RowsUpperBound);
        Assert.Equal((50.2 + 49.7), (await ReadAsync(owner, mean)).Values.Single(), 9);

        var stored = await RunAsync(scientist, Col("w", births, "weight"), new PlanStep("x", "gt", ["w"], Scalar: 3.0),
            new PlanStep("n", "not", ["x"]), new PlanStep("f", "filter", ["w", "n"]));
        Assert.True(stored.RowsUpperBound);
        var fromObject = await RunAsync(scientist, new PlanStep("o", "object", Object: stored.Id), new PlanStep("s", "sum", ["o"], Dims: [0]));
        Assert.Equal(2.9 + 2.5, (await ReadAsync(owner, fromObject)).Values.Single(), 9);
    }

    [Fact]
    public async Task FilterMatchingNothing_MinIsNaN_NotAnError()
    {
        var (owner, births) = await PublishAsync("filter-empty");
        var (scientist, _) = await node.AddUserAsync(Role.DataScientist, "ds-empty@lab.example");
        var min = await RunAsync(scientist, Col("w", births, "weight"), new PlanStep("m", "gt", ["w"], Scalar: 5.9),
            new PlanStep("f", "filter", ["w", "m"]), new PlanStep("x", "min", ["f"]));
        var mean = await RunAsync(scientist, Col("w", births, "weight"), new PlanStep("m", "gt", ["w"], Scalar: 5.9),
            new PlanStep("f", "filter", ["w", "m"]), new PlanStep("x", "mean", ["f"]));

        Assert.True(double.IsNaN((await ReadAsync(owner, min)).Values.Single()));
        Assert.True(double.IsNaN((await ReadAsync(owner, mean)).Values.Single()));
    }

    public static TheoryData<string> RevealingSteps() => ["narrow", "select", "add-column", "stack", "transpose", "filter-again", "matmul-inner"];

    [Theory]
    [MemberData(nameof(RevealingSteps))]
    public async Task StepsThatWouldRevealTheCount_AreRefusedBeforeRunning(string kind)
    {
        var (_, births) = await PublishAsync($"filter-refuse-{kind}");
        var (scientist, _) = await node.AddUserAsync(Role.DataScientist, $"ds-refuse-{kind}@lab.example");
        PlanStep[] prefix = [Col("w", births, "weight"), Col("h", births, "height"), new PlanStep("t", "stack", ["w", "h"], Dims: [1]),
            new PlanStep("m", "gt", ["w"], Scalar: 3.0), new PlanStep("f", "filter", ["t", "m"])];
        PlanStep last = kind switch
        {
            "narrow" => new PlanStep("x", "narrow", ["f"], Start: 0, Length: 1),
            "select" => new PlanStep("x", "select", ["f"], Start: 2),
            "add-column" => new PlanStep("x", "add", ["f", "t"]),
            "stack" => new PlanStep("x", "stack", ["f", "f"], Dims: [1]),
            "transpose" => new PlanStep("x", "transpose", ["f"]),
            "filter-again" => new PlanStep("x", "filter", ["f", "m"]),
            _ => new PlanStep("x", "matmul", ["f", "f"]),
        };

        var response = await PostAsync(scientist, [.. prefix, last]);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("stays private", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SafeTensorsDataset_TensorsAreColumns()
    {
        var owner = await node.LoginAsync();
        var dataset = await DatasetsTestData.PublishAsync(owner, SafeTensorsRequest("scans-plans"), SafeTensorsBytes());
        var mean = await RunAsync(owner, new PlanStep("x", "column", Dataset: dataset.Id, Column: "x"), new PlanStep("m", "mean", ["x"], Dims: [0]));
        var label = await RunAsync(owner, new PlanStep("l", "column", Dataset: dataset.Id, Column: "label"), new PlanStep("s", "sum", ["l"]));

        Assert.Equal([3], mean.Shape);
        var x = new[] { 0.1f, -0.5f, 0.9f, 1f, -1f, 0.25f, 0f, 0.75f, -0.3f, 0.6f, 0.2f, -0.9f };
        var expected = Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, 4).Average(r => (double)x[(r * 3) + c])).ToArray();
        var value = await ReadAsync(owner, mean);
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(expected[c], value.Values[c], 6);
        }

        Assert.Equal(17, (await ReadAsync(owner, label)).Values.Single());
        var missing = await PostAsync(owner, new PlanStep("q", "column", Dataset: dataset.Id, Column: "nope"));
        Assert.Contains("no tensor 'nope'", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
