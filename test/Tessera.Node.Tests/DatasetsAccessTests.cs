using System.Net;
using System.Net.Http.Json;
using System.Text;
using Tessera.Contracts;
using static Tessera.Node.Tests.DatasetsTestData;

namespace Tessera.Node.Tests;

/// <summary>Runs against both databases: see <see cref="SqliteDatasetsAccessTests"/> and <see cref="PostgresDatasetsAccessTests"/>.</summary>
public abstract class DatasetsAccessTests
{
    private const string SomeId = "0123456789abcdef0123456789abcdef";

    private readonly NodeFactory _node;

    protected DatasetsAccessTests(NodeFactory node) => _node = node;

    [Theory]
    [InlineData("GET", ApiRoutes.Datasets)]
    [InlineData("POST", ApiRoutes.Datasets)]
    [InlineData("GET", ApiRoutes.Dataset)]
    [InlineData("DELETE", ApiRoutes.Dataset)]
    [InlineData("PUT", ApiRoutes.DatasetContent)]
    [InlineData("PUT", ApiRoutes.DatasetMock)]
    [InlineData("GET", ApiRoutes.DatasetMock)]
    public async Task Endpoints_WithoutToken_Answer401(string method, string route)
    {
        var owner = await _node.LoginAsync();
        var info = await PublishAsync(owner, CsvRequest("anonymous"), Utf8(Csv));
        var response = await _node.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), Route(route, info.Id)));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task DataScientist_CannotPublishUploadOrDelete_ButSeesMetadataAndMock()
    {
        var owner = await _node.LoginAsync();
        var (scientist, _) = await _node.AddUserAsync(Role.DataScientist, "ds-datasets@lab.example");
        var created = await CreateAsync(owner, CsvRequest("ds-forbidden", mockProvided: true));

        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.PostAsJsonAsync(ApiRoutes.Datasets, CsvRequest(), NodeFactory.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync(scientist, created.UploadUrl, Utf8(Csv))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync(scientist, created.MockUploadUrl!, Utf8(Csv))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.DeleteAsync(Route(ApiRoutes.Dataset, created.Dataset.Id))).StatusCode);

        // A pending dataset is invisible to them, exactly like a missing one.
        Assert.Equal(HttpStatusCode.NotFound, (await scientist.GetAsync(Route(ApiRoutes.Dataset, created.Dataset.Id))).StatusCode);

        var ready = await PublishAsync(owner, CsvRequest("ds-visible"), Utf8(Csv));
        Assert.Contains(await ListAsync(scientist), d => d.Id == ready.Id);
        Assert.Equal(HttpStatusCode.OK, (await scientist.GetAsync(Route(ApiRoutes.Dataset, ready.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scientist.GetAsync(Route(ApiRoutes.DatasetMock, ready.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(Route(ApiRoutes.Dataset, ready.Id))).StatusCode);
    }

    [Fact]
    public async Task Admin_CanPublishAndDelete()
    {
        var (admin, _) = await _node.AddUserAsync(Role.Admin, "admin-datasets@lab.example");
        var info = await PublishAsync(admin, CsvRequest("by-admin"), Utf8(Csv));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(Route(ApiRoutes.Dataset, info.Id))).StatusCode);
    }

    [Theory]
    [InlineData(SomeId)]
    [InlineData("not-an-id")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("' OR 1=1 --")]
    public async Task GuessedOrMalformedIds_Answer404Alike(string id)
    {
        var owner = await _node.LoginAsync();
        var escaped = Uri.EscapeDataString(id);
        foreach (var (method, route) in new[]
        {
            ("GET", ApiRoutes.Dataset), ("DELETE", ApiRoutes.Dataset), ("GET", ApiRoutes.DatasetMock),
        })
        {
            var response = await owner.SendAsync(new HttpRequestMessage(new HttpMethod(method), Route(route, escaped)));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains(ProblemTypes.NotFound, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(owner, Route(ApiRoutes.DatasetContent, escaped), Utf8(Csv))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(owner, Route(ApiRoutes.DatasetMock, escaped), Utf8(Csv))).StatusCode);
    }

    [Fact]
    public async Task InjectionStringsInNameAndDescription_AreStoredInertly()
    {
        var owner = await _node.LoginAsync();
        const string name = "../../etc/passwd'; DROP TABLE datasets; --";
        var request = CsvRequest(name) with { Description = "<script>alert(1)</script>\n' OR '1'='1" };
        var info = await PublishAsync(owner, request, Utf8(Csv));
        var got = await owner.GetFromJsonAsync<DatasetInfo>(Route(ApiRoutes.Dataset, info.Id), NodeFactory.Json);
        Assert.Equal(name, got!.Name);
        Assert.Equal(request.Description, got.Description);
        Assert.Contains(await ListAsync(owner), d => d.Id == info.Id);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_node.DataDirectory, "*", SearchOption.AllDirectories),
            p => p.Contains("passwd", StringComparison.Ordinal));
    }

    public static TheoryData<string, DatasetCreateRequest> BadRequests() => new()
    {
        { "name", CsvRequest("") },
        { "name", CsvRequest(new string('n', 129)) },
        { "name", CsvRequest("tab\there") },
        { "Tags are", CsvRequest(tags: ["../etc"]) },
        { "Tags are", CsvRequest(tags: ["' OR 1=1 --"]) },
        { "Tags are", CsvRequest(tags: ["x; DROP TABLE dataset_tags"]) },
        { "Tags are", CsvRequest(tags: [new string('t', 33)]) },
        { "at most 16 tags", CsvRequest(tags: Enumerable.Range(0, 17).Select(i => $"t{i}").ToArray()) },
        { "min <= max", CsvRequest() with { Columns = [new("age", 5, 1)] } },
        { "declared twice", CsvRequest() with { Columns = [new("age", 0, 1), new("age", 0, 1)] } },
        { "1 to 4096 columns", CsvRequest() with { Columns = [] } },
        { "surrounding spaces", CsvRequest() with { Columns = [new(" age", 0, 1)] } },
        { "readerIds[0]", CsvRequest(readers: [SomeId]) },
        { "readerIds[0]", CsvRequest(readers: ["' OR 1=1 --"]) },
        { "description", CsvRequest() with { Description = new string('d', 4001) } },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Create_BadMetadata_Answers400NamingTheField(string expected, DatasetCreateRequest request)
    {
        var owner = await _node.LoginAsync();
        var response = await owner.PostAsJsonAsync(ApiRoutes.Datasets, request, NodeFactory.Json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("{\"name\": \"x\", \"format\": \"Parquet\", \"columns\": []}")]
    [InlineData("{\"name\": \"x\", \"format\": \"Csv\", \"columns\": [{\"name\": \"a\", \"min\": \"NaN\", \"max\": 1}]}")]
    public async Task Create_MalformedJson_Answers400(string json)
    {
        var owner = await _node.LoginAsync();
        var response = await owner.PostAsync(ApiRoutes.Datasets, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Create_OversizedJson_IsRefused()
    {
        var owner = await _node.LoginAsync();
        var huge = "{\"name\":\"" + new string('a', 2_000_000) + "\",\"format\":\"Csv\",\"columns\":[]}";
        var response = await owner.PostAsync(ApiRoutes.Datasets, new StringContent(huge, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, response.StatusCode.ToString());
    }
}

/// <summary>The dataset tests on SQLite.</summary>
public sealed class SqliteDatasetsAccessTests(NodeFactory node) : DatasetsAccessTests(node), IClassFixture<NodeFactory>;

/// <summary>The dataset tests on PostgreSQL.</summary>
[Trait("Category", "Slow")]
public sealed class PostgresDatasetsAccessTests(PostgresNodeFactory node) : DatasetsAccessTests(node), IClassFixture<PostgresNodeFactory>;
