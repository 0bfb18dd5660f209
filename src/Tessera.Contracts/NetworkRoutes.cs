namespace Tessera.Contracts;

/// <summary>
/// The network gateway's HTTP routes (<c>tessera network start</c>), shared by the gateway, nodes and clients. The gateway
/// also answers <see cref="ApiRoutes.Health"/>.
/// </summary>
public static class NetworkRoutes
{
    /// <summary>The prefix of every gateway route.</summary>
    public const string Prefix = ApiRoutes.Prefix + "/network";

    /// <summary>POST: register a domain and its catalogue (open, rate and size limited); answers its id and secret once.</summary>
    public const string Domains = Prefix + "/domains";

    /// <summary>
    /// PUT: a domain's heartbeat, optionally replacing its catalogue; <c>{id}</c> is the domain id and the request carries
    /// <c>Authorization: Bearer SECRET</c>. A wrong secret, an unknown or malformed id all answer 404 alike.
    /// </summary>
    public const string Heartbeat = Prefix + "/domains/{id}/heartbeat";

    /// <summary>GET: live domains' datasets carrying every <c>tag</c> given (<c>?tag=a&amp;tag=b</c>), newest heartbeat first.</summary>
    public const string Search = Prefix + "/search";

    /// <summary>The heartbeat route for one domain.</summary>
    /// <param name="domainId">The domain id returned at registration.</param>
    /// <returns>The route with <paramref name="domainId"/> escaped into it.</returns>
    public static string HeartbeatFor(string domainId)
    {
        ArgumentNullException.ThrowIfNull(domainId);
        return Heartbeat.Replace("{id}", Uri.EscapeDataString(domainId), StringComparison.Ordinal);
    }
}
