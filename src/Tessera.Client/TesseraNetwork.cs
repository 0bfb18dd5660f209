using Tessera.Client.Http;
using Tessera.Contracts;

namespace Tessera.Client;

/// <summary>
/// A connection to a Tessera network gateway, the public directory of domains: search their catalogues by tag, then log in
/// to a domain with <see cref="DomainClient"/>. Thread-safe; dispose it to release the HTTP client it created, if any.
/// </summary>
public sealed class TesseraNetwork : IDisposable
{
    private readonly ClientHttp _http;

    private TesseraNetwork(ClientHttp http) => _http = http;

    /// <summary>The gateway's base URL.</summary>
    public Uri Gateway => _http.BaseUri;

    /// <summary>Connects to the gateway at <paramref name="gateway"/> (no request is sent until the first call).</summary>
    /// <param name="gateway">The gateway's absolute http or https base URL.</param>
    /// <param name="http">An HTTP client to share (it is not modified or disposed); null to create one.</param>
    /// <returns>The connection.</returns>
    /// <exception cref="ArgumentException"><paramref name="gateway"/> is not an absolute http or https URL without credentials.</exception>
    public static TesseraNetwork Connect(Uri gateway, HttpClient? http = null) => new(new ClientHttp(gateway, http));

    /// <summary>Finds live domains with datasets that carry every one of <paramref name="tags"/>.</summary>
    /// <param name="tags">One or more tags, matched case-insensitively.</param>
    /// <returns>Per domain, newest heartbeat first, its matching datasets and URL.</returns>
    /// <exception cref="TesseraException">The gateway refused the search or could not be reached.</exception>
    public Task<IReadOnlyList<NetworkDomain>> SearchAsync(params string[] tags) => SearchAsync(tags, CancellationToken.None);

    /// <summary>Finds live domains with datasets that carry every one of <paramref name="tags"/>.</summary>
    /// <param name="tags">One or more tags, matched case-insensitively.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Per domain, newest heartbeat first, its matching datasets and URL.</returns>
    /// <exception cref="ArgumentException">No tag was given, or one is empty.</exception>
    /// <exception cref="TesseraException">The gateway refused the search or could not be reached.</exception>
    public async Task<IReadOnlyList<NetworkDomain>> SearchAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var list = tags.ToList();
        if (list.Count == 0 || list.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Give at least one tag, none of them empty.", nameof(tags));
        }

        var route = NetworkRoutes.Search + "?" + string.Join('&', list.Select(t => "tag=" + Uri.EscapeDataString(t.Trim())));
        var results = await _http.SendJsonAsync<List<NetworkSearchResult>>(HttpMethod.Get, route, null, null, cancellationToken).ConfigureAwait(false);
        // The gateway checks URLs at registration; a result whose URL does not parse is skipped rather than failing the search.
        return results
            .Select(r => Uri.TryCreate(r.Url, UriKind.Absolute, out var url) ? new NetworkDomain(r.DomainId, r.DomainName, url, r.LastSeen, r.Datasets) : null)
            .OfType<NetworkDomain>()
            .ToList();
    }

    /// <summary>Asks the gateway whether it is up.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The gateway's name and status.</returns>
    /// <exception cref="TesseraException">The gateway answered an error or could not be reached.</exception>
    public Task<GatewayHealthResponse> GetHealthAsync(CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<GatewayHealthResponse>(HttpMethod.Get, ApiRoutes.Health, null, null, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"TesseraNetwork({Gateway})";

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
