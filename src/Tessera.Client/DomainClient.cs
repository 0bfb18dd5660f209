using Tessera.Client.Http;
using Tessera.Contracts;

namespace Tessera.Client;

/// <summary>
/// A logged-in session with one domain node: datasets (list, get, mock download, publish, delete) and, for the owner, the
/// audit log. The bearer token stays inside: it never appears in <see cref="ToString"/> or in exception messages. Thread-safe;
/// dispose it to release the HTTP client it created, if any (the token stays valid until <see cref="LogoutAsync"/> or expiry).
/// </summary>
public sealed partial class DomainClient : IDisposable
{
    private readonly ClientHttp _http;
    private readonly string _token;

    private DomainClient(ClientHttp http, string token, UserInfo? user, DateTimeOffset? expiresAt)
    {
        _http = http;
        _token = token;
        User = user;
        ExpiresAt = expiresAt;
    }

    /// <summary>The node's base URL.</summary>
    public Uri Domain => _http.BaseUri;

    /// <summary>The account this session acts as, when known (after a login).</summary>
    public UserInfo? User { get; }

    /// <summary>When the token stops working, when known (after a login).</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>Logs in to the node at <paramref name="domain"/> with a new HTTP client.</summary>
    /// <param name="domain">The node's absolute http or https base URL.</param>
    /// <param name="email">The account's email.</param>
    /// <param name="password">The password (sent once, never kept).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The session.</returns>
    /// <exception cref="AuthenticationException">The email or password is wrong, or the account awaits approval.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public static Task<DomainClient> LoginAsync(Uri domain, string email, string password, CancellationToken cancellationToken = default) =>
        LoginAsync(domain, email, password, null, cancellationToken);

    /// <summary>Logs in to the node at <paramref name="domain"/>.</summary>
    /// <param name="domain">The node's absolute http or https base URL.</param>
    /// <param name="email">The account's email.</param>
    /// <param name="password">The password (sent once, never kept).</param>
    /// <param name="http">An HTTP client to share (it is not modified or disposed); null to create one.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The session.</returns>
    /// <exception cref="AuthenticationException">The email or password is wrong, or the account awaits approval.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public static async Task<DomainClient> LoginAsync(Uri domain, string email, string password, HttpClient? http,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var client = new ClientHttp(domain, http);
        try
        {
            var login = await client.SendJsonAsync<LoginResponse>(HttpMethod.Post, ApiRoutes.Login, new LoginRequest(email, password), null,
                cancellationToken).ConfigureAwait(false);
            return new DomainClient(client, login.Token, login.User, login.ExpiresAt);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Resumes a session from a token obtained earlier (by <see cref="LoginAsync(Uri, string, string, CancellationToken)"/> and <see cref="ExportToken"/>).</summary>
    /// <param name="domain">The node's absolute http or https base URL.</param>
    /// <param name="token">The bearer token.</param>
    /// <param name="http">An HTTP client to share (it is not modified or disposed); null to create one.</param>
    /// <returns>The session; the token is checked by the first request.</returns>
    public static DomainClient FromToken(Uri domain, string token, HttpClient? http = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        return new DomainClient(new ClientHttp(domain, http), token, null, null);
    }

    /// <summary>The bearer token, for a caller that stores the session (as <c>tessera login</c> does, in a 0600 file). Keep it secret.</summary>
    /// <returns>The token.</returns>
    public string ExportToken() => _token;

    /// <summary>The account this session acts as, asked of the node.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The account.</returns>
    /// <exception cref="AuthenticationException">The token expired or was revoked.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public Task<UserInfo> GetMeAsync(CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<UserInfo>(HttpMethod.Get, ApiRoutes.Me, null, _token, cancellationToken);

    /// <summary>The newest entries of the node's audit log (owner only).</summary>
    /// <param name="limit">How many entries, 1 to 1000 (the node clamps).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The entries, newest first.</returns>
    /// <exception cref="AccessDeniedException">The caller is not the owner.</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public async Task<IReadOnlyList<AuditEntryInfo>> GetAuditAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return await _http.SendJsonAsync<List<AuditEntryInfo>>(HttpMethod.Get, ApiRoutes.Audit + "?limit=" + limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            null, _token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revokes this session's token on the node.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the node has revoked the token.</returns>
    /// <exception cref="TesseraException">The node refused the request or could not be reached.</exception>
    public Task LogoutAsync(CancellationToken cancellationToken = default) =>
        _http.SendAsync(HttpMethod.Post, ApiRoutes.Logout, _token, cancellationToken);

    /// <summary>The node and account, never the token.</summary>
    /// <returns>A description such as <c>DomainClient(http://node:5100/, alice@example.org)</c>.</returns>
    public override string ToString() => $"DomainClient({Domain}, {User?.Email ?? "token session"})";

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
