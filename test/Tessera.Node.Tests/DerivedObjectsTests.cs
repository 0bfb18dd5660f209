using System.Net;
using System.Net.Http.Json;
using Tessera.Contracts;
using static Tessera.Node.Tests.DatasetsTestData;

namespace Tessera.Node.Tests;

/// <summary>Requests can be followed one by one; deleting a dataset deletes what was computed from it.</summary>
public sealed class DerivedObjectsTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    private async Task<(HttpClient Owner, DatasetInfo Dataset)> PublishAsync(string name)
    {
        var owner = await node.LoginAsync();
        return (owner, await DatasetsTestData.PublishAsync(owner, CsvRequest(name, tags: [name]), Utf8(Csv)));
    }

    private static async Task<ObjectInfo> MeanAsync(HttpClient client, DatasetInfo dataset)
    {
        var plan = new PlanRequest([new PlanStep("w", "column", Dataset: dataset.Id, Column: "weight"), new PlanStep("m", "mean", ["w"])], ["m"]);
        var response = await client.PostAsJsonAsync(ApiRoutes.Plans, plan, NodeFactory.Json);
        return (await response.Content.ReadFromJsonAsync<PlanResponse>(NodeFactory.Json))!.Outputs.Single();
    }

    [Fact]
    public async Task GetRequest_RequesterAndOwnerSeeIt_OthersGet404()
    {
        var (owner, dataset) = await PublishAsync("single-request");
        var (scientist, _) = await node.AddUserAsync(Role.DataScientist, "ds-single@lab.example");
        var (other, _) = await node.AddUserAsync(Role.DataScientist, "ds-single-other@lab.example");
        var mean = await MeanAsync(scientist, dataset);
        var created = await (await scientist.PostAsJsonAsync(ApiRoutes.Requests, new AccessRequestCreate(mean.Id, "report"), NodeFactory.Json))
            .Content.ReadFromJsonAsync<AccessRequestInfo>(NodeFactory.Json);

        var mine = await scientist.GetFromJsonAsync<AccessRequestInfo>(Route(ApiRoutes.Request, created!.Id), NodeFactory.Json);
        Assert.Equal(AccessRequestStatus.Pending, mine!.Status);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(Route(ApiRoutes.Request, created.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(Route(ApiRoutes.Request, created.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scientist.GetAsync(Route(ApiRoutes.Request, "0123456789abcdef0123456789abcdef"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scientist.GetAsync(Route(ApiRoutes.Request, "..%2F..%2Fetc"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await node.CreateClient().GetAsync(Route(ApiRoutes.Request, created.Id))).StatusCode);
    }

    [Fact]
    public async Task DeleteDataset_DeletesObjectsComputedFromIt_AndTheirRequests_OthersStay()
    {
        var (owner, doomed) = await PublishAsync("doomed");
        var (_, kept) = await PublishAsync("kept");
        var (scientist, _) = await node.AddUserAsync(Role.DataScientist, "ds-delete@lab.example");
        var gone = await MeanAsync(scientist, doomed);
        var stays = await MeanAsync(scientist, kept);
        var request = await (await scientist.PostAsJsonAsync(ApiRoutes.Requests, new AccessRequestCreate(gone.Id, "report"), NodeFactory.Json))
            .Content.ReadFromJsonAsync<AccessRequestInfo>(NodeFactory.Json);
        var blobsBefore = Blobs(node.DataDirectory).Length;

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync(Route(ApiRoutes.Dataset, doomed.Id))).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(Route(ApiRoutes.Object, gone.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(Route(ApiRoutes.ObjectValue, gone.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scientist.GetAsync(Route(ApiRoutes.Request, request!.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(Route(ApiRoutes.ObjectValue, stays.Id))).StatusCode);
        Assert.True(Blobs(node.DataDirectory).Length < blobsBefore, "the dataset's and its object's blobs are deleted");
    }
}
