namespace Tessera.Contracts;

/// <summary>Stable <c>type</c> URIs of the network gateway's own ProblemDetails errors (it also uses <see cref="ProblemTypes"/>).</summary>
public static class NetworkProblemTypes
{
    /// <summary>Too many requests from this address in the current window; retry after the <c>Retry-After</c> seconds.</summary>
    public const string RateLimited = "https://tessera.dev/problems/rate-limited";

    /// <summary>The gateway holds as many domains as it is configured to; registration is closed until stale ones are purged.</summary>
    public const string NetworkFull = "https://tessera.dev/problems/network-full";
}
