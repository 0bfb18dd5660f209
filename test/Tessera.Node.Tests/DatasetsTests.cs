using System.Net;
using System.Net.Http.Json;
using Tessera.Contracts;
using Tessera.Data;
using Tessera.Serialization;
using static Tessera.Node.Tests.DatasetsTestData;

namespace Tessera.Node.Tests;

/// <summary>Runs against both databases: see <see cref="SqliteDatasetsTests"/> and <see cref="PostgresDatasetsTests"/>.</summary>
public abstract class DatasetsTests
{
    private readonly NodeFactory _node;

    protected DatasetsTests(NodeFactory node) => _node = node;

    [Fact]
    public async Task PublishCsv_ThenGetAndList_ShowsMetadataButNoValues()
    {
        var owner = await _node.LoginAsync();
        var info = await PublishAsync(owner, CsvRequest("births-a"), Utf8(Csv));
        Assert.Equal(3, info.Rows);
        Assert.Equal(Utf8(Csv).Length, info.SizeBytes);
        Assert.Equal(["birth-records"], info.Tags);
        Assert.Equal(["age", "weight"], info.Columns.Select(c => c.Name));
        Assert.Equal(120, info.Columns[0].Max);
        Assert.False(info.MockProvided);

        var got = await owner.GetFromJsonAsync<DatasetInfo>(Route(ApiRoutes.Dataset, info.Id), NodeFactory.Json);
        Assert.Equal(info.Id, got!.Id);
        Assert.Equal("Birth records, 2020", got.Description);
        Assert.Contains(await ListAsync(owner), d => d.Id == info.Id);

        var raw = await owner.GetStringAsync(ApiRoutes.Datasets) + await owner.GetStringAsync(Route(ApiRoutes.Dataset, info.Id));
        Assert.DoesNotContain("3.2170917", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("4.1630571", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishSafeTensors_RecordsShapesAndDtypes_MockHasSameShapesWithinBounds()
    {
        var owner = await _node.LoginAsync();
        var info = await PublishAsync(owner, SafeTensorsRequest(), SafeTensorsBytes());
        var x = info.Columns.Single(c => c.Name == "x");
        Assert.Equal([4, 3], x.Shape!);
        Assert.Equal("Float32", x.DType);
        Assert.Equal([4], info.Columns.Single(c => c.Name == "label").Shape!);
        Assert.Null(info.Rows);

        var bytes = await owner.GetByteArrayAsync(Route(ApiRoutes.DatasetMock, info.Id));
        using var stream = new MemoryStream(bytes);
        var mock = SafeTensors.Read(stream, "mock");
        Assert.Equal([4, 3], mock.Tensors["x"].ShapeToArray());
        Assert.Equal(DType.Float32, mock.Tensors["x"].DType);
        Assert.All(mock.Tensors["x"].ToArray<float>(), v => Assert.InRange(v, -1f, 1f));
        Assert.Equal(DType.Int64, mock.Tensors["label"].DType);
        Assert.All(mock.Tensors["label"].ToArray<long>(), v => Assert.InRange(v, 0L, 9L));
        Assert.NotEqual(SafeTensorsBytes(), bytes);
    }

    [Fact]
    public async Task SynthesisedCsvMock_HasSameColumnsAndRows_WithinBounds()
    {
        var owner = await _node.LoginAsync();
        var info = await PublishAsync(owner, CsvRequest("births-mock"), Utf8(Csv));
        var (guest, _) = await _node.AddUserAsync(Role.Guest, "guest-mock@lab.example");
        var response = await guest.GetAsync(Route(ApiRoutes.DatasetMock, info.Id));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var table = CsvReader.Read(new StringReader(text), "mock");
        Assert.Equal(["age", "weight"], table.ColumnNames);
        Assert.Equal(3, table.RowCount);
        Assert.All(table.Column("age"), v => Assert.InRange(v, 0, 120));
        Assert.All(table.Column("weight"), v => Assert.InRange(v, 0.5, 6));
        Assert.DoesNotContain("3.2170917", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProvidedMock_IsCheckedAgainstSchema_AndDatasetIsListedOnlyWhenBothAreStored()
    {
        var owner = await _node.LoginAsync();
        var created = await CreateAsync(owner, CsvRequest("with-mock", mockProvided: true));
        Assert.NotNull(created.MockUploadUrl);
        Assert.Equal(HttpStatusCode.Conflict, (await PutAsync(owner, created.MockUploadUrl!, Utf8("age,weight\n1,1\n"))).StatusCode);

        var content = await PutAsync(owner, created.UploadUrl, Utf8(Csv));
        Assert.Equal(DatasetStatus.Pending, (await content.Content.ReadFromJsonAsync<DatasetInfo>(NodeFactory.Json))!.Status);
        Assert.DoesNotContain(await ListAsync(owner), d => d.Id == created.Dataset.Id);

        var outOfBounds = await PutAsync(owner, created.MockUploadUrl!, Utf8("age,weight\n500,1\n"));
        Assert.Equal(HttpStatusCode.BadRequest, outOfBounds.StatusCode);
        Assert.Contains("outside the declared bounds", await outOfBounds.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var mockCsv = "age,weight\n50,1.5\n60,2.5\n";
        var mock = await PutAsync(owner, created.MockUploadUrl!, Utf8(mockCsv));
        Assert.Equal(HttpStatusCode.OK, mock.StatusCode);
        Assert.Equal(DatasetStatus.Ready, (await mock.Content.ReadFromJsonAsync<DatasetInfo>(NodeFactory.Json))!.Status);
        Assert.Contains(await ListAsync(owner), d => d.Id == created.Dataset.Id && d.MockProvided);
        Assert.Equal(mockCsv, await owner.GetStringAsync(Route(ApiRoutes.DatasetMock, created.Dataset.Id)));
    }

    [Fact]
    public async Task ProvidedSafeTensorsMock_WithOtherShape_IsRefused_ThenMatchingOneIsAccepted()
    {
        var owner = await _node.LoginAsync();
        var created = await CreateAsync(owner, SafeTensorsRequest("scans-with-mock") with { MockProvided = true });
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(owner, created.UploadUrl, SafeTensorsBytes())).StatusCode);

        var wrongShape = await PutAsync(owner, created.MockUploadUrl!, SafeTensorsBytes(x: new float[12], label: [1, 2, 3, 4, 5]));
        Assert.Equal(HttpStatusCode.BadRequest, wrongShape.StatusCode);
        Assert.Contains("same shapes and dtypes", await wrongShape.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var mock = SafeTensorsBytes(x: new float[12], label: [1, 1, 1, 1]);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(owner, created.MockUploadUrl!, mock)).StatusCode);
        Assert.Equal(mock, await owner.GetByteArrayAsync(Route(ApiRoutes.DatasetMock, created.Dataset.Id)));
    }

    [Fact]
    public async Task Upload_ValueOutsideBounds_IsRefusedWithoutTheValue_AndNothingIsStored()
    {
        var owner = await _node.LoginAsync();
        var created = await CreateAsync(owner, CsvRequest("out-of-bounds"));
        var bad = Utf8("age,weight\n31,3.2\n187,2.9\n");
        var response = await PutAsync(owner, created.UploadUrl, bad);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // Only the problem's detail: the trace id elsewhere in the body is random hex and may contain any digits.
        var body = (await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(NodeFactory.Json))!.Detail!;
        Assert.Contains("data row 2, column 'age'", body, StringComparison.Ordinal);
        Assert.Contains("[0, 120]", body, StringComparison.Ordinal);
        Assert.DoesNotContain("187", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Sha256(bad), Blobs(_node.DataDirectory));
        Assert.DoesNotContain(await ListAsync(owner), d => d.Id == created.Dataset.Id);

        // The refusal stored nothing, so a corrected upload goes through.
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(owner, created.UploadUrl, Utf8(Csv))).StatusCode);
    }

    [Fact]
    public async Task SafeTensors_ValueOutsideBounds_IsRefused()
    {
        var owner = await _node.LoginAsync();
        var created = await CreateAsync(owner, SafeTensorsRequest("scans-bad"));
        var response = await PutAsync(owner, created.UploadUrl, SafeTensorsBytes(label: [3, 0, 12, 5]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("tensor 'label', element 2", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_SameRequestIdTwice_AppliesOnce_AndAnswersAlike()
    {
        var owner = await _node.LoginAsync();
        var created = await CreateAsync(owner, CsvRequest("idempotent"));
        var first = await PutAsync(owner, created.UploadUrl, Utf8(Csv), "retry-1");
        var second = await PutAsync(owner, created.UploadUrl, Utf8(Csv), "retry-1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var a = (await first.Content.ReadFromJsonAsync<DatasetInfo>(NodeFactory.Json))!;
        var b = (await second.Content.ReadFromJsonAsync<DatasetInfo>(NodeFactory.Json))!;
        Assert.Equal((a.Id, a.Status, a.SizeBytes, a.Rows), (b.Id, b.Status, b.SizeBytes, b.Rows));

        var audit = await owner.GetFromJsonAsync<List<AuditEntryInfo>>(ApiRoutes.Audit + "?limit=1000", NodeFactory.Json);
        Assert.Single(audit!, e => e.Subject == a.Id && e.Action == "dataset.upload" && e.Outcome == "success");
        Assert.Single(audit!, e => e.Subject == a.Id && e.Action == "dataset.ready");
    }

    [Fact]
    public async Task Upload_DifferentRequestIdAfterReady_Answers409()
    {
        var owner = await _node.LoginAsync();
        var created = await CreateAsync(owner, CsvRequest("no-replace"));
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(owner, created.UploadUrl, Utf8(Csv), "first")).StatusCode);
        var again = await PutAsync(owner, created.UploadUrl, Utf8("age,weight\n1,1\n"), "second");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains(ProblemTypes.Conflict, await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("../../etc/passwd")]
    public async Task Upload_MissingOrMalformedRequestId_Answers400(string? requestId)
    {
        var owner = await _node.LoginAsync();
        var created = await CreateAsync(owner, CsvRequest("request-id"));
        var message = new HttpRequestMessage(HttpMethod.Put, created.UploadUrl) { Content = new ByteArrayContent(Utf8(Csv)) };
        if (requestId is not null)
        {
            message.Headers.TryAddWithoutValidation(ApiRoutes.RequestIdHeader, requestId);
        }

        var response = await owner.SendAsync(message);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(ApiRoutes.RequestIdHeader, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("age,weight\n31,abc\n", "line 2, column 2 ('weight')")]
    [InlineData("age,weight\n31\n", "the row has 1 cells")]
    [InlineData("height,weight\n31,3\n", "the schema declares 'age', 'weight'")]
    [InlineData("age,weight\n", "no data rows")]
    [InlineData("", "the file is empty")]
    [InlineData("age,weight\n\"31,3\n", "quote")]
    public async Task Upload_MalformedCsv_IsRefusedNamingTheProblem(string csv, string expected)
    {
        var owner = await _node.LoginAsync();
        var created = await CreateAsync(owner, CsvRequest("malformed"));
        var response = await PutAsync(owner, created.UploadUrl, Utf8(csv));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(expected, body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("content.csv", body, StringComparison.Ordinal);
        Assert.DoesNotContain(_node.DataDirectory, body, StringComparison.Ordinal);
    }

    public static TheoryData<byte[], string> MalformedSafeTensors() => new()
    {
        { [1, 2, 3], "header length" },
        { [.. BitConverter.GetBytes(64L), .. Utf8("{\"x\": 5}")], "truncated" },
        { SafeTensorsBytes()[..^8], "" },
        { Utf8("age,weight\n1,2\n"), "" },
    };

    [Theory]
    [MemberData(nameof(MalformedSafeTensors))]
    public async Task Upload_MalformedSafeTensors_IsRefusedNamingTheProblem(byte[] file, string expected)
    {
        var owner = await _node.LoginAsync();
        var created = await CreateAsync(owner, SafeTensorsRequest("bad-safetensors"));
        var response = await PutAsync(owner, created.UploadUrl, file);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("content.safetensors", body, StringComparison.Ordinal);
        Assert.Contains(expected, body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Upload_SafeTensorsWithOtherTensors_IsRefused()
    {
        var owner = await _node.LoginAsync();
        var created = await CreateAsync(owner, SafeTensorsRequest("wrong-names") with { Columns = [new("x", -1, 1), new("y", 0, 9)] });
        var response = await PutAsync(owner, created.UploadUrl, SafeTensorsBytes());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("the schema declares 'x', 'y'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchByTag_IsCaseInsensitive_AndFindsOnlyTagged()
    {
        var owner = await _node.LoginAsync();
        var births = await PublishAsync(owner, CsvRequest("tagged-births", ["birth-records", "2020"]), Utf8(Csv));
        var scans = await PublishAsync(owner, SafeTensorsRequest("tagged-scans"), SafeTensorsBytes());
        var found = await ListAsync(owner, "BIRTH-Records");
        Assert.Contains(found, d => d.Id == births.Id);
        Assert.DoesNotContain(found, d => d.Id == scans.Id);
        Assert.Empty(await ListAsync(owner, "no-such-tag"));
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("' OR 1=1 --")]
    [InlineData("a-tag-that-is-much-longer-than-thirty-two-characters")]
    [InlineData("")]
    public async Task SearchByTag_InvalidTag_Answers400(string tag)
    {
        var owner = await _node.LoginAsync();
        var response = await owner.GetAsync(ApiRoutes.Datasets + "?tag=" + Uri.EscapeDataString(tag));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Delete_RemovesRowAndUnreferencedBlobs_ButKeepsSharedOnes()
    {
        var owner = await _node.LoginAsync();
        var content = Utf8("age,weight\n77,1.25\n");
        var first = await PublishAsync(owner, CsvRequest("shared-1"), content);
        var second = await PublishAsync(owner, CsvRequest("shared-2"), content);
        var sha = Sha256(content);
        Assert.Contains(sha, Blobs(_node.DataDirectory));

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync(Route(ApiRoutes.Dataset, first.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(Route(ApiRoutes.Dataset, first.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(Route(ApiRoutes.DatasetMock, first.Id))).StatusCode);
        Assert.Contains(sha, Blobs(_node.DataDirectory));
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(Route(ApiRoutes.DatasetMock, second.Id))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync(Route(ApiRoutes.Dataset, second.Id))).StatusCode);
        Assert.DoesNotContain(sha, Blobs(_node.DataDirectory));
        Assert.Equal(HttpStatusCode.NotFound, (await owner.DeleteAsync(Route(ApiRoutes.Dataset, second.Id))).StatusCode);
    }

    [Fact]
    public async Task ReaderIds_AreStored_AndShownToOwnerOnly()
    {
        var (scientist, user) = await _node.AddUserAsync(Role.DataScientist, "reader@lab.example");
        var owner = await _node.LoginAsync();
        var info = await PublishAsync(owner, CsvRequest("with-readers", readers: [user.Id]), Utf8(Csv));
        Assert.Equal([user.Id], info.ReaderIds);
        var seen = await scientist.GetFromJsonAsync<DatasetInfo>(Route(ApiRoutes.Dataset, info.Id), NodeFactory.Json);
        Assert.Null(seen!.ReaderIds);
        Assert.Equal(info.Columns.Count, seen.Columns.Count);
    }

    [Fact]
    public async Task Actions_AreAudited()
    {
        var owner = await _node.LoginAsync();
        var info = await PublishAsync(owner, CsvRequest("audited"), Utf8(Csv));
        await owner.GetAsync(Route(ApiRoutes.DatasetMock, info.Id));
        await owner.DeleteAsync(Route(ApiRoutes.Dataset, info.Id));
        var audit = await owner.GetFromJsonAsync<List<AuditEntryInfo>>(ApiRoutes.Audit + "?limit=1000", NodeFactory.Json);
        var actions = audit!.Where(e => e.Subject == info.Id).Select(e => e.Action).ToHashSet();
        Assert.Superset(new HashSet<string> { "dataset.create", "dataset.upload", "dataset.ready", "dataset.mock-download", "dataset.delete" }, actions);
    }
}

/// <summary>The dataset tests on SQLite.</summary>
public sealed class SqliteDatasetsTests(NodeFactory node) : DatasetsTests(node), IClassFixture<NodeFactory>;

/// <summary>The dataset tests on PostgreSQL.</summary>
[Trait("Category", "Slow")]
public sealed class PostgresDatasetsTests(PostgresNodeFactory node) : DatasetsTests(node), IClassFixture<PostgresNodeFactory>;
