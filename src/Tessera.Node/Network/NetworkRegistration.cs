using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Contracts;
using Tessera.Node.Datasets;
using Tessera.Node.Hosting;
using Tessera.Node.Storage;

namespace Tessera.Node.Network;

/// <summary>
/// Lists the node on the network gateway named by <see cref="NodeOptions.Network"/>: registers once (keeping the domain id
/// and secret in a 0600 file in the data directory, so a restart resumes the same listing), then sends a heartbeat carrying
/// the catalogue of ready datasets (names, descriptions and tags, never values) every <see cref="NodeOptions.HeartbeatInterval"/>.
/// A heartbeat the gateway no longer recognises (purged, or its database replaced) leads to a fresh registration.
/// </summary>
internal sealed class NetworkRegistration(
    IServiceScopeFactory scopes, IOptions<NodeOptions> options, TimeProvider time, ILogger<NetworkRegistration> logger) : BackgroundService
{
    private const int MaxDescription = 2000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var gateway = new Uri(settings.Network!.TrimEnd('/') + "/");
        var store = new RegistrationFile(Path.Combine(settings.DataDirectory, "network-registration.json"));
        var registration = store.Load(gateway.AbsoluteUri);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var catalogue = await CatalogueAsync(stoppingToken).ConfigureAwait(false);
                if (registration is null)
                {
                    registration = await RegisterAsync(gateway, settings, catalogue, stoppingToken).ConfigureAwait(false);
                    store.Save(gateway.AbsoluteUri, registration);
                    NetworkLog.Registered(logger, gateway.AbsoluteUri, registration.DomainId, catalogue.Count);
                }
                else if (!await HeartbeatAsync(gateway, registration, catalogue, stoppingToken).ConfigureAwait(false))
                {
                    NetworkLog.Forgotten(logger, registration.DomainId);
                    registration = null;
                    store.Delete();
                    continue;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or IOException
                || (ex is TaskCanceledException && !stoppingToken.IsCancellationRequested))
            {
                NetworkLog.Failed(logger, gateway.AbsoluteUri, ex.GetType().Name, ex.Message);
            }

            try
            {
                await Task.Delay(settings.HeartbeatInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<List<NetworkDatasetEntry>> CatalogueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NodeDbContext>();
        var datasets = await db.Set<DatasetRecord>().AsNoTracking().Where(d => d.Status == DatasetStatus.Ready)
            .OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id).Take(1000)
            .Select(d => new { d.Id, d.Name, d.Description }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = datasets.Select(d => d.Id).ToList();
        var tags = (await db.Set<DatasetTagRecord>().AsNoTracking().Where(t => ids.Contains(t.DatasetId)).ToListAsync(cancellationToken)
            .ConfigureAwait(false)).ToLookup(t => t.DatasetId, t => t.Tag);
        return datasets.Select(d => new NetworkDatasetEntry(d.Id, d.Name,
            d.Description.Length > MaxDescription ? d.Description[..MaxDescription] : d.Description,
            tags[d.Id].Order(StringComparer.Ordinal).ToList())).ToList();
    }

    private async Task<NetworkRegistrationState> RegisterAsync(Uri gateway, NodeOptions settings, List<NetworkDatasetEntry> catalogue,
        CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(gateway, NetworkRoutes.Domains.TrimStart('/')),
            new DomainRegistrationRequest(settings.Name, settings.PublicUrl!, catalogue), Json, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"registration answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        var answer = await response.Content.ReadFromJsonAsync<DomainRegistrationResponse>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException("The gateway answered an empty registration.");
        return new NetworkRegistrationState(answer.DomainId, answer.Secret);
    }

    /// <summary>Sends one heartbeat; false when the gateway does not know this registration any more.</summary>
    private async Task<bool> HeartbeatAsync(Uri gateway, NetworkRegistrationState registration, List<NetworkDatasetEntry> catalogue,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(gateway, NetworkRoutes.HeartbeatFor(registration.DomainId).TrimStart('/')))
        {
            Content = JsonContent.Create(new DomainHeartbeatRequest(catalogue), options: Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", registration.Secret);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"heartbeat answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        return true;
    }
}
