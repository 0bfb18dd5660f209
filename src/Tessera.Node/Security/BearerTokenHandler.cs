using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Contracts;
using Tessera.Node.Apis;
using Tessera.Node.Storage;

namespace Tessera.Node.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> tokens against the hashes in the database: unknown, expired and revoked
/// tokens all fail alike, and so does a token whose account is no longer active.
/// </summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, NodeDbContext db, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    /// <summary>The claim that carries the token's hash, so logout can revoke exactly this token.</summary>
    public const string TokenHashClaim = "tessera:token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || header.Length > 200)
        {
            return AuthenticateResult.Fail("Malformed authorization header.");
        }

        var hash = Ids.Hash(header["Bearer ".Length..].Trim());
        var now = time.GetUtcNow();
        var token = await db.Tokens.AsNoTracking().SingleOrDefaultAsync(t => t.Hash == hash, Context.RequestAborted).ConfigureAwait(false);
        if (token is null || token.Revoked || token.ExpiresAt <= now)
        {
            return AuthenticateResult.Fail("Invalid or expired token.");
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == token.UserId, Context.RequestAborted).ConfigureAwait(false);
        if (user is null || user.Status != AccountStatus.Active)
        {
            return AuthenticateResult.Fail("Invalid or expired token.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id),
                new Claim(ClaimTypes.Email, user.Email),
                new Claim(ClaimTypes.Role, user.Role.ToString()),
                new Claim(TokenHashClaim, hash),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status401Unauthorized, ProblemTypes.Unauthenticated, "Authentication required",
            "Send a valid bearer token: log in with POST " + ApiRoutes.Login + " and use the token it returns.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden",
            "Your role does not allow this.");
}
