using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Contracts;
using Tessera.Node.Hosting;
using Tessera.Node.Security;
using Tessera.Node.Storage;

namespace Tessera.Node.Apis;

/// <summary>Login and logout.</summary>
internal static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(ApiRoutes.Login, LoginAsync).AllowAnonymous();
        app.MapPost(ApiRoutes.Logout, LogoutAsync).RequireAuthorization();
        return app;
    }

    /// <summary>Checks the password and issues a token; a wrong email and a wrong password answer alike.</summary>
    internal static async Task<IResult> LoginAsync(LoginRequest? request, NodeDbContext db, AuditLog audit, TimeProvider time,
        IOptions<NodeOptions> options, CancellationToken cancellationToken)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Email) || request.Password is null
            || request.Email.Length > 320 || request.Password.Length > PasswordHasher.MaximumLength)
        {
            return Problems.Invalid("Send {\"email\": ..., \"password\": ...}.");
        }

        var email = request.Email.Trim().ToLowerInvariant();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == email, cancellationToken).ConfigureAwait(false);
        if (user is null || !PasswordHasher.Verify(request.Password, user.PasswordHash) || user.Status != AccountStatus.Active)
        {
            audit.Add(user?.Id, "user.login", null, AuditLog.Denied);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Problems.Unauthenticated(user is { Status: AccountStatus.Pending }
                ? "This account waits for the owner's approval."
                : "The email or password is wrong.");
        }

        var token = Ids.NewSecret();
        var expires = time.GetUtcNow() + options.Value.TokenLifetime;
        db.Tokens.Add(new TokenRecord { Hash = Ids.Hash(token), UserId = user.Id, ExpiresAt = expires });
        audit.Add(user.Id, "user.login", user.Id);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Results.Ok(new LoginResponse(token, expires, UsersApi.ToInfo(user)));
    }

    internal static async Task<IResult> LogoutAsync(ClaimsPrincipal principal, NodeDbContext db, AuditLog audit, CancellationToken cancellationToken)
    {
        var hash = principal.FindFirstValue(BearerTokenHandler.TokenHashClaim)!;
        var token = await db.Tokens.SingleAsync(t => t.Hash == hash, cancellationToken).ConfigureAwait(false);
        token.Revoked = true;
        audit.Add(token.UserId, "user.logout", token.UserId);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }
}
