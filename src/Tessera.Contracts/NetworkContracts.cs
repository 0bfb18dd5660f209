namespace Tessera.Contracts;

/// <summary>One dataset as a domain advertises it to the network: catalogue metadata only, never values.</summary>
/// <param name="Id">The dataset's id on its domain (1 to 64 characters).</param>
/// <param name="Name">Its name (1 to 200 characters).</param>
/// <param name="Description">What it holds, in words (at most 2000 characters), or null.</param>
/// <param name="Tags">Search tags (at most 16, each 1 to 64 characters; matched case-insensitively).</param>
public sealed record NetworkDatasetEntry(string Id, string Name, string? Description, IReadOnlyList<string> Tags);

/// <summary>Registers a domain with the network gateway (<see cref="NetworkRoutes.Domains"/>).</summary>
/// <param name="Name">The domain's name (1 to 64 characters).</param>
/// <param name="Url">The domain's public base URL: absolute http or https, no credentials, query or fragment.</param>
/// <param name="Datasets">Its catalogue (at most 1000 entries, unique ids).</param>
public sealed record DomainRegistrationRequest(string Name, string Url, IReadOnlyList<NetworkDatasetEntry>? Datasets);

/// <summary>The gateway's answer to a registration. The secret is shown once; the gateway keeps only its hash.</summary>
/// <param name="DomainId">The domain's id (32 hex characters).</param>
/// <param name="Secret">The domain secret (256 bits, base64url) to send as <c>Authorization: Bearer ...</c> with heartbeats.</param>
/// <param name="LivenessWindow">How long the domain stays in search results after each heartbeat.</param>
public sealed record DomainRegistrationResponse(string DomainId, string Secret, TimeSpan LivenessWindow);

/// <summary>A heartbeat (<see cref="NetworkRoutes.Heartbeat"/>), optionally with a new catalogue.</summary>
/// <param name="Datasets">The catalogue that replaces the stored one, or null to keep it.</param>
public sealed record DomainHeartbeatRequest(IReadOnlyList<NetworkDatasetEntry>? Datasets);

/// <summary>The gateway's answer to a heartbeat.</summary>
/// <param name="DomainId">The domain's id.</param>
/// <param name="LastSeen">When the gateway recorded this heartbeat.</param>
/// <param name="Datasets">How many datasets the domain's catalogue now holds.</param>
/// <param name="LivenessWindow">Send the next heartbeat well within this window to stay in search results.</param>
public sealed record DomainHeartbeatResponse(string DomainId, DateTimeOffset LastSeen, int Datasets, TimeSpan LivenessWindow);

/// <summary>One live domain in a search result, with its matching datasets and where to reach it.</summary>
/// <param name="DomainId">The domain's id.</param>
/// <param name="DomainName">The name it registered with (self-declared: the gateway does not verify it).</param>
/// <param name="Url">Its public base URL.</param>
/// <param name="LastSeen">Its last heartbeat.</param>
/// <param name="Datasets">Its datasets that carry every searched tag.</param>
public sealed record NetworkSearchResult(
    string DomainId, string DomainName, string Url, DateTimeOffset LastSeen, IReadOnlyList<NetworkDatasetEntry> Datasets);

/// <summary>The gateway's answer to <see cref="ApiRoutes.Health"/>.</summary>
/// <param name="Status">ok when the gateway and its database answer.</param>
/// <param name="Name">The gateway's name.</param>
/// <param name="Kind">Always <c>gateway</c>, so a client can tell a gateway from a domain node.</param>
public sealed record GatewayHealthResponse(string Status, string Name, string Kind);
