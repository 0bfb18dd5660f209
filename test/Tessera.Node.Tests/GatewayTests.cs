using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Contracts;
using Tessera.Node.Gateway;

namespace Tessera.Node.Tests;

public sealed class GatewayTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _gateway;

    public GatewayTests(GatewayFactory gateway) => _gateway = gateway;

    private static string UniqueTag() => "t" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Health_Anonymous_NamesTheGateway()
    {
        var health = await _gateway.CreateClient().GetFromJsonAsync<GatewayHealthResponse>(ApiRoutes.Health, NodeFactory.Json);
        Assert.Equal(new GatewayHealthResponse("ok", "test-gateway", "gateway"), health);
    }

    [Fact]
    public async Task RegisterHeartbeatSearch_MatchingTag_ReturnsDomainWithMatchingDatasetsOnly()
    {
        var tag = UniqueTag();
        var domain = await _gateway.RegisterAsync("St Mary's", "https://stmarys.example/tessera",
            GatewayFactory.Dataset("births", tag, "Birth-Records"), GatewayFactory.Dataset("deaths", "death-records"));
        Assert.Equal(32, domain.DomainId.Length);
        Assert.Equal(43, domain.Secret.Length);
        Assert.Equal(TimeSpan.FromSeconds(60), domain.LivenessWindow);

        var beat = await _gateway.HeartbeatAsync(domain.DomainId, domain.Secret);
        Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        var info = await beat.Content.ReadFromJsonAsync<DomainHeartbeatResponse>(NodeFactory.Json);
        Assert.Equal(2, info!.Datasets);
        Assert.Equal(_gateway.Clock.GetUtcNow(), info.LastSeen);

        var results = await _gateway.SearchAsync(tag.ToUpperInvariant());
        var hit = Assert.Single(results);
        Assert.Equal(domain.DomainId, hit.DomainId);
        Assert.Equal("St Mary's", hit.DomainName);
        Assert.Equal("https://stmarys.example/tessera", hit.Url);
        var dataset = Assert.Single(hit.Datasets);
        Assert.Equal("births", dataset.Id);
        Assert.Equal("Dataset births", dataset.Name);
        Assert.Equal("About births", dataset.Description);
        Assert.Equal([tag, "birth-records"], dataset.Tags);
    }

    [Fact]
    public async Task Search_SeveralTags_MatchesOnlyDatasetsWithAll()
    {
        var tag = UniqueTag();
        await _gateway.RegisterAsync("Clinic", "http://clinic.example",
            GatewayFactory.Dataset("feb", tag, "february"), GatewayFactory.Dataset("mar", tag, "march"), GatewayFactory.Dataset("other", "february"));

        var both = Assert.Single(await _gateway.SearchAsync(tag, "February"));
        Assert.Equal("feb", Assert.Single(both.Datasets).Id);
        Assert.Equal(2, Assert.Single(await _gateway.SearchAsync(tag)).Datasets.Count);
        Assert.Empty(await _gateway.SearchAsync(tag, "february", "march"));
        Assert.Equal("feb", Assert.Single(Assert.Single(await _gateway.SearchAsync(tag, "february", tag)).Datasets).Id);
    }

    [Fact]
    public async Task Search_DomainSilentPastLivenessWindow_DropsOutUntilNextHeartbeat()
    {
        var tag = UniqueTag();
        var domain = await _gateway.RegisterAsync("Quiet", "https://quiet.example", GatewayFactory.Dataset("d", tag));
        _gateway.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Single(await _gateway.SearchAsync(tag));

        _gateway.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Empty(await _gateway.SearchAsync(tag));

        Assert.Equal(HttpStatusCode.OK, (await _gateway.HeartbeatAsync(domain.DomainId, domain.Secret)).StatusCode);
        Assert.Single(await _gateway.SearchAsync(tag));
    }

    [Fact]
    public async Task Search_SeveralDomains_NewestHeartbeatFirst()
    {
        var tag = UniqueTag();
        var first = await _gateway.RegisterAsync("First", "https://first.example", GatewayFactory.Dataset("a", tag));
        _gateway.Clock.Advance(TimeSpan.FromSeconds(5));
        var second = await _gateway.RegisterAsync("Second", "https://second.example", GatewayFactory.Dataset("a", tag));
        Assert.Equal([second.DomainId, first.DomainId], (await _gateway.SearchAsync(tag)).Select(r => r.DomainId));

        _gateway.Clock.Advance(TimeSpan.FromSeconds(5));
        await _gateway.HeartbeatAsync(first.DomainId, first.Secret);
        Assert.Equal([first.DomainId, second.DomainId], (await _gateway.SearchAsync(tag)).Select(r => r.DomainId));
    }

    [Fact]
    public async Task Heartbeat_WithCatalogue_ReplacesTheOldOne()
    {
        var oldTag = UniqueTag();
        var newTag = UniqueTag();
        var domain = await _gateway.RegisterAsync("Changing", "https://changing.example", GatewayFactory.Dataset("old", oldTag));
        var beat = await _gateway.HeartbeatAsync(domain.DomainId, domain.Secret,
            [GatewayFactory.Dataset("new1", newTag), GatewayFactory.Dataset("new2", newTag)]);
        Assert.Equal(2, (await beat.Content.ReadFromJsonAsync<DomainHeartbeatResponse>(NodeFactory.Json))!.Datasets);
        Assert.Empty(await _gateway.SearchAsync(oldTag));
        Assert.Equal(["new1", "new2"], Assert.Single(await _gateway.SearchAsync(newTag)).Datasets.Select(d => d.Id));

        // The same catalogue again, and an empty one.
        Assert.Equal(HttpStatusCode.OK, (await _gateway.HeartbeatAsync(domain.DomainId, domain.Secret,
            [GatewayFactory.Dataset("new1", newTag), GatewayFactory.Dataset("new2", newTag)])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _gateway.HeartbeatAsync(domain.DomainId, domain.Secret, [])).StatusCode);
        Assert.Empty(await _gateway.SearchAsync(newTag));
    }

    [Fact]
    public async Task Heartbeat_WrongSecretForeignOrMalformedId_Answer404Alike_AndChangeNothing()
    {
        var tag = UniqueTag();
        var victim = await _gateway.RegisterAsync("Victim", "https://victim.example", GatewayFactory.Dataset("v", tag));
        var attacker = await _gateway.RegisterAsync("Attacker", "https://attacker.example");
        var evil = new[] { GatewayFactory.Dataset("evil", tag) };

        var answers = new[]
        {
            await _gateway.HeartbeatAsync(victim.DomainId, attacker.Secret, evil),
            await _gateway.HeartbeatAsync(victim.DomainId, victim.Secret[..^1] + (victim.Secret[^1] == 'A' ? 'B' : 'A'), evil),
            await _gateway.HeartbeatAsync("00000000000000000000000000000000", victim.Secret, evil),
            await _gateway.HeartbeatAsync(victim.DomainId.ToUpperInvariant(), victim.Secret, evil),
            await _gateway.HeartbeatAsync("' OR 1=1 --", victim.Secret, evil),
            await _gateway.HeartbeatAsync("../../etc/passwd", victim.Secret, evil),
        };
        var bodies = new List<string>();
        foreach (var answer in answers)
        {
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            // Every field but the per-request trace id must be identical.
            var problem = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await answer.Content.ReadAsStringAsync())!;
            problem.Remove("traceId");
            bodies.Add(JsonSerializer.Serialize(problem));
        }

        Assert.Single(bodies.Distinct());
        Assert.Contains(ProblemTypes.NotFound, bodies[0], StringComparison.Ordinal);
        Assert.Equal("v", Assert.Single(Assert.Single(await _gateway.SearchAsync(tag)).Datasets).Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    public async Task Heartbeat_WithoutBearerSecret_Answers401(string? header)
    {
        var domain = await _gateway.RegisterAsync("NoAuth", "https://noauth.example");
        using var request = new HttpRequestMessage(HttpMethod.Put, NetworkRoutes.HeartbeatFor(domain.DomainId));
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", header);
        }

        var response = await _gateway.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Purge_DomainSilentPastPurgeWindow_IsDeletedAndMustRegisterAgain()
    {
        var tag = UniqueTag();
        var domain = await _gateway.RegisterAsync("Gone", "https://gone.example", GatewayFactory.Dataset("g", tag));
        _gateway.Clock.Advance(TimeSpan.FromDays(8));
        await using (var scope = _gateway.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            Assert.True(await HeartbeatSweeper.PurgeAsync(db, _gateway.Clock.GetUtcNow() - TimeSpan.FromDays(7), CancellationToken.None) >= 1);
            Assert.False(db.Tags.Any(t => t.DomainId == domain.DomainId));
            Assert.False(db.Datasets.Any(t => t.DomainId == domain.DomainId));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await _gateway.HeartbeatAsync(domain.DomainId, domain.Secret)).StatusCode);
        Assert.Empty(await _gateway.SearchAsync(tag));
    }

    [Fact]
    public async Task Tags_WithSqlAndWildcards_AreStoredInertlyAndMatchOnlyThemselves()
    {
        var tag = UniqueTag();
        string[] hostile = ["' or 1=1 --", "x\"; drop table network_tags; --", "%", "_", "*"];
        await _gateway.RegisterAsync("Plain", "https://plain.example", GatewayFactory.Dataset("plain", tag));
        await _gateway.RegisterAsync("Hostile", "https://hostile.example", GatewayFactory.Dataset("hostile", [tag, .. hostile]));

        foreach (var h in hostile)
        {
            var hit = Assert.Single(await _gateway.SearchAsync(h));
            Assert.Equal("hostile", Assert.Single(hit.Datasets).Id);
        }

        Assert.Empty(await _gateway.SearchAsync("' OR '1'='1"));
        Assert.Empty(await _gateway.SearchAsync("%%"));
        Assert.Equal(2, (await _gateway.SearchAsync(tag)).Count);
    }

    [Fact]
    public async Task Search_Results_HoldOnlyCatalogueMetadata()
    {
        var tag = UniqueTag();
        var domain = await _gateway.RegisterAsync("Meta", "https://meta.example", GatewayFactory.Dataset("m", tag));
        var raw = await _gateway.CreateClient().GetStringAsync(GatewayFactory.SearchUri(tag));
        Assert.DoesNotContain(domain.Secret, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(Security.Ids.Hash(domain.Secret), raw, StringComparison.Ordinal);

        using var document = JsonDocument.Parse(raw);
        var result = Assert.Single(document.RootElement.EnumerateArray().ToList());
        Assert.Equal(["datasets", "domainId", "domainName", "lastSeen", "url"], result.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var dataset = Assert.Single(result.GetProperty("datasets").EnumerateArray().ToList());
        Assert.Equal(["description", "id", "name", "tags"], dataset.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Database_KeepsDomainSecretsOnlyHashed()
    {
        var domain = await _gateway.RegisterAsync("Hashed", "https://hashed.example");
        var text = string.Concat(Directory.GetFiles(_gateway.DataDirectory, "gateway.db*").Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))));
        Assert.DoesNotContain(domain.Secret, text, StringComparison.Ordinal);
        Assert.Contains(Security.Ids.Hash(domain.Secret), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheNetworkRoutes()
    {
        var doc = await _gateway.CreateClient().GetStringAsync("/openapi/v1.json");
        Assert.Contains(NetworkRoutes.Domains, doc, StringComparison.Ordinal);
        Assert.Contains(NetworkRoutes.Search, doc, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiRoutes.Login, doc, StringComparison.Ordinal);
    }
}
