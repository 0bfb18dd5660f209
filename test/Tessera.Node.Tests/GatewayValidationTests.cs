using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Tessera.Contracts;
using Tessera.TestUtilities;

namespace Tessera.Node.Tests;

public sealed class GatewayValidationTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _gateway;

    public GatewayValidationTests(GatewayFactory gateway) => _gateway = gateway;

    private Task<HttpResponseMessage> PostAsync(DomainRegistrationRequest request) =>
        _gateway.CreateClient().PostAsJsonAsync(NetworkRoutes.Domains, request, NodeFactory.Json);

    private Task<HttpResponseMessage> PostRawAsync(string json, string mediaType = "application/json") =>
        _gateway.CreateClient().PostAsync(NetworkRoutes.Domains, new StringContent(json, Encoding.UTF8, mediaType));

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("/relative/path")]
    [InlineData("relative.example/path")]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://files.example")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("https://user:password@node.example")]
    [InlineData("https://node.example/?redirect=evil")]
    [InlineData("https://node.example/#fragment")]
    [InlineData("http://")]
    [InlineData("https://node.example/\u0000")]
    [InlineData("")]
    public async Task Register_BadUrl_Answers400(string url)
    {
        var response = await PostAsync(new DomainRegistrationRequest("Domain", url, []));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(ProblemTypes.Invalid, body, StringComparison.Ordinal);
        Assert.Contains("url must be", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_GoodUrl_IsStoredCanonically()
    {
        var tag = "canon" + Guid.NewGuid().ToString("N")[..8];
        await _gateway.RegisterAsync("Canon", "  HTTPS://Node.Example:8443/tessera/  ", GatewayFactory.Dataset("c", tag));
        Assert.Equal("https://node.example:8443/tessera", Assert.Single(await _gateway.SearchAsync(tag)).Url);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"text\"")]
    [InlineData("{\"name\": 5, \"url\": \"https://a.example\"}")]
    [InlineData("{\"name\": \"n\", \"url\": \"https://a.example\", \"datasets\": \"many\"}")]
    [InlineData("{\"name\": \"n\", \"url\": \"https://a.example\", \"datasets\": [null]}")]
    [InlineData("{\"name\": \"n\", \"url\": \"https://a.example\", \"datasets\": [{\"id\": \"a\", \"name\": \"a\", \"tags\": \"x\"}]}")]
    [InlineData("{}")]
    [InlineData("")]
    public async Task Register_MalformedBody_Answers400(string json)
    {
        var response = await PostRawAsync(json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Register_NotJson_Answers415()
    {
        var response = await PostRawAsync("name=x&url=https://a.example", "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Register_OversizedBody_Answers413()
    {
        var huge = "{\"name\":\"n\",\"url\":\"https://a.example\",\"datasets\":[{\"id\":\"a\",\"name\":\"a\",\"description\":\""
            + new string('a', (int)GatewayFactory.BodyLimit) + "\"}]}";
        var response = await PostRawAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains(ProblemTypes.TooLarge, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_OversizedBodyWithoutLength_Answers413()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"name\":\"" + new string('n', (int)GatewayFactory.BodyLimit) + "\"}")));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, NetworkRoutes.Domains) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await _gateway.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Heartbeat_OversizedBody_Answers413()
    {
        var domain = await _gateway.RegisterAsync("Big", "https://big.example");
        var datasets = Enumerable.Range(0, 1000)
            .Select(i => new NetworkDatasetEntry("d" + i, "name", new string('x', 2000), [])).ToList();
        var response = await _gateway.HeartbeatAsync(domain.DomainId, domain.Secret, datasets);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Register_ThousandDatasets_IsAccepted_ButNotOneMore()
    {
        var datasets = Enumerable.Range(0, 1000).Select(i => new NetworkDatasetEntry("d" + i, "n", null, ["t"])).ToList();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(new DomainRegistrationRequest("Thousand", "https://k.example", datasets))).StatusCode);
        datasets.Add(new NetworkDatasetEntry("d1000", "n", null, ["t"]));
        var response = await PostAsync(new DomainRegistrationRequest("Thousand+1", "https://k.example", datasets));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 1000", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public static TheoryData<DomainRegistrationRequest, string> BadRegistrations => new()
    {
        { new DomainRegistrationRequest(new string('n', 65), "https://a.example", []), "name must be" },
        { new DomainRegistrationRequest("   ", "https://a.example", []), "name must be" },
        { new DomainRegistrationRequest("bad\u0007name", "https://a.example", []), "name must be" },
        { new DomainRegistrationRequest("n", "https://a.example", [new("a", "a", null, Enumerable.Range(0, 17).Select(i => "t" + i).ToList())]), "datasets[0].tags holds 17" },
        { new DomainRegistrationRequest("n", "https://a.example", [new("a", "a", null, [new string('t', 65)])]), "datasets[0].tags[0]" },
        { new DomainRegistrationRequest("n", "https://a.example", [new("a", "a", null, [" "])]), "datasets[0].tags[0]" },
        { new DomainRegistrationRequest("n", "https://a.example", [new("a", "a", null, []), new("a", "b", null, [])]), "datasets[1].id repeats" },
        { new DomainRegistrationRequest("n", "https://a.example", [new("", "a", null, [])]), "datasets[0].id" },
        { new DomainRegistrationRequest("n", "https://a.example", [new(new string('i', 65), "a", null, [])]), "datasets[0].id" },
        { new DomainRegistrationRequest("n", "https://a.example", [new("a", "", null, [])]), "datasets[0].name" },
        { new DomainRegistrationRequest("n", "https://a.example", [new("a", "a", new string('d', 2001), [])]), "datasets[0].description" },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task Register_OutOfLimits_Answers400NamingTheField(DomainRegistrationRequest request, string expected)
    {
        var response = await PostAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heartbeat_BadCatalogue_Answers400AndKeepsTheOldOne()
    {
        var tag = "keep" + Guid.NewGuid().ToString("N")[..8];
        var domain = await _gateway.RegisterAsync("Keep", "https://keep.example", GatewayFactory.Dataset("k", tag));
        var response = await _gateway.HeartbeatAsync(domain.DomainId, domain.Secret, [new NetworkDatasetEntry("x", "x", null, [new string('t', 65)])]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("k", Assert.Single(Assert.Single(await _gateway.SearchAsync(tag)).Datasets).Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?tag=")]
    [InlineData("?tag=%20%20")]
    [InlineData("?tag=a%07b")]
    [InlineData("?other=x")]
    public async Task Search_MissingOrBadTags_Answers400(string query)
    {
        var response = await _gateway.CreateClient().GetAsync(NetworkRoutes.Search + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Search_TooManyOrTooLongTags_Answers400()
    {
        var client = _gateway.CreateClient();
        Assert.Equal(HttpStatusCode.BadRequest,
            (await client.GetAsync(GatewayFactory.SearchUri(Enumerable.Range(0, 17).Select(i => "t" + i).ToArray()))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(GatewayFactory.SearchUri(new string('t', 65)))).StatusCode);
    }

    [Fact]
    public async Task Register_BeyondRateLimit_Answers429()
    {
        using var limited = new GatewayFactory(("Tessera:Gateway:RegistrationsPerMinute", "2"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            var response = await limited.CreateClient().PostAsJsonAsync(NetworkRoutes.Domains,
                new DomainRegistrationRequest("Flood" + i, "https://flood.example", []), NodeFactory.Json);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Contains(NetworkProblemTypes.RateLimited, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        // A fixed one-minute window can roll over once during the loop, so at most 4 of 5 pass.
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(statuses.Count(s => s == HttpStatusCode.Created) is >= 2 and <= 4, string.Join(",", statuses));
    }

    [Fact]
    public async Task Register_NetworkFull_Answers503()
    {
        using var small = new GatewayFactory(("Tessera:Gateway:MaxDomains", "1"));
        await small.RegisterAsync("Only", "https://only.example");
        var response = await small.CreateClient().PostAsJsonAsync(NetworkRoutes.Domains,
            new DomainRegistrationRequest("Second", "https://second.example", []), NodeFactory.Json);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(NetworkProblemTypes.NetworkFull, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Tessera:Gateway:LivenessWindow", "00:00:00")]
    [InlineData("Tessera:Gateway:Name", "")]
    [InlineData("Tessera:Mode", "bogus")]
    public void Settings_Invalid_RefuseToStart(string key, string value)
    {
        using var factory = new GatewayFactory((key, value));
        Assert.ThrowsAny<Exception>(() => factory.CreateClient());
    }

    [Fact]
    public void NodeMode_IsTheDefault()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            b.UseSetting("Tessera:Node:DataDirectory", TestPaths.NewTempDirectory()));
        var ex = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("no owner yet", ex.ToString(), StringComparison.Ordinal);
    }
}
