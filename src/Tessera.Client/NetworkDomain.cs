using Tessera.Contracts;

namespace Tessera.Client;

/// <summary>One live domain found by <see cref="TesseraNetwork.SearchAsync(IEnumerable{string}, CancellationToken)"/>: its matching datasets and where to reach it.</summary>
/// <param name="DomainId">The domain's id on the gateway.</param>
/// <param name="Name">The name the domain registered with (self-declared; the gateway does not verify it).</param>
/// <param name="Url">The domain node's base URL: pass it to <see cref="DomainClient.LoginAsync(Uri, string, string, CancellationToken)"/>.</param>
/// <param name="LastSeen">The domain's last heartbeat.</param>
/// <param name="Datasets">Its datasets that carry every searched tag (catalogue metadata only, never values).</param>
public sealed record NetworkDomain(string DomainId, string Name, Uri Url, DateTimeOffset LastSeen, IReadOnlyList<NetworkDatasetEntry> Datasets);
