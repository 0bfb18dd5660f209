using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Contracts;
using Tessera.TestUtilities;

namespace Tessera.Node.Tests;

/// <summary>The node started in gateway mode on SQLite in a fresh temporary folder, with a fake clock, hosted in process.</summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>
{
    public const long BodyLimit = 256 * 1024;

    private readonly (string Key, string Value)[] _settings;

    public GatewayFactory()
        : this([])
    {
    }

    internal GatewayFactory(params (string Key, string Value)[] settings)
    {
        _settings = settings;
        DataDirectory = TestPaths.NewTempDirectory();
    }

    public string DataDirectory { get; }

    public GatewayFakeTimeProvider Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Tessera:Mode", "gateway");
        builder.UseSetting("Tessera:Gateway:DataDirectory", DataDirectory);
        builder.UseSetting("Tessera:Gateway:Name", "test-gateway");
        builder.UseSetting("Tessera:Gateway:RegistrationsPerMinute", "100000");
        builder.UseSetting("Tessera:Gateway:RequestsPerMinute", "100000");
        builder.UseSetting("Tessera:Gateway:MaxJsonBodyBytes", BodyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public static NetworkDatasetEntry Dataset(string id, params string[] tags) => new(id, "Dataset " + id, "About " + id, tags);

    public async Task<DomainRegistrationResponse> RegisterAsync(string name, string url, params NetworkDatasetEntry[] datasets)
    {
        var response = await CreateClient().PostAsJsonAsync(NetworkRoutes.Domains, new DomainRegistrationRequest(name, url, datasets), NodeFactory.Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<DomainRegistrationResponse>(NodeFactory.Json))!;
    }

    public async Task<HttpResponseMessage> HeartbeatAsync(string domainId, string? secret, IReadOnlyList<NetworkDatasetEntry>? datasets = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, NetworkRoutes.HeartbeatFor(domainId))
        {
            Content = JsonContent.Create(new DomainHeartbeatRequest(datasets), options: NodeFactory.Json),
        };
        if (secret is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }

        return await CreateClient().SendAsync(request);
    }

    public static string SearchUri(params string[] tags) =>
        NetworkRoutes.Search + "?" + string.Join('&', tags.Select(t => "tag=" + Uri.EscapeDataString(t)));

    public async Task<List<NetworkSearchResult>> SearchAsync(params string[] tags) =>
        (await CreateClient().GetFromJsonAsync<List<NetworkSearchResult>>(SearchUri(tags), NodeFactory.Json))!;
}
