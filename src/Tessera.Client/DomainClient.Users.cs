using Tessera.Client.Http;
using Tessera.Contracts;

namespace Tessera.Client;

public sealed partial class DomainClient
{
    /// <summary>Invites someone to the node with a role (owner and admins; only the owner invites admins).</summary>
    /// <param name="email">The invitee's email.</param>
    /// <param name="role">The role the account gets on registering.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The single-use invitation code (give it to the invitee privately) and when it expires.</returns>
    /// <exception cref="AccessDeniedException">The caller may not invite (with that role).</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public Task<InvitationResponse> InviteAsync(string email, Role role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        return _http.SendJsonAsync<InvitationResponse>(HttpMethod.Post, ApiRoutes.Invitations, new InvitationRequest(email, role), _token,
            cancellationToken);
    }

    /// <summary>Registers an account on the node at <paramref name="domain"/>.</summary>
    /// <param name="domain">The node's absolute http or https base URL.</param>
    /// <param name="email">The account's email.</param>
    /// <param name="password">The password (at least the node's minimum length; sent once, never kept).</param>
    /// <param name="invitationCode">The code from <see cref="InviteAsync"/>; without one the account waits for the owner's approval as a Guest.</param>
    /// <param name="http">An HTTP client to share (it is not modified or disposed); null to create one.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new account.</returns>
    /// <exception cref="InvalidRequestException">The email, password or code was refused (the message says which).</exception>
    /// <exception cref="TesseraException">The node refused the request otherwise or could not be reached.</exception>
    public static async Task<UserInfo> RegisterAsync(Uri domain, string email, string password, string? invitationCode, HttpClient? http = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        ArgumentException.ThrowIfNullOrEmpty(password);
        using var client = new ClientHttp(domain, http);
        return await client.SendJsonAsync<UserInfo>(HttpMethod.Post, ApiRoutes.Register, new RegisterRequest(email, password, invitationCode), null,
            cancellationToken).ConfigureAwait(false);
    }
}
