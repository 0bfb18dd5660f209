using System.Net.Mail;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Contracts;
using Tessera.Node.Hosting;
using Tessera.Node.Security;
using Tessera.Node.Storage;

namespace Tessera.Node.Apis;

/// <summary>Accounts: who am I, invitations, registration, approval, listing.</summary>
internal static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Me, MeAsync).RequireAuthorization();
        app.MapGet(ApiRoutes.Users, ListAsync).RequireAuthorization(Policies.OwnerOrAdmin);
        app.MapPost(ApiRoutes.Invitations, InviteAsync).RequireAuthorization(Policies.OwnerOrAdmin);
        app.MapPost(ApiRoutes.Register, RegisterAsync).AllowAnonymous();
        app.MapPost(ApiRoutes.Approve, ApproveAsync).RequireAuthorization(Policies.OwnerOrAdmin);
        return app;
    }

    public static UserInfo ToInfo(UserRecord u) => new(u.Id, u.Email, u.Role, u.Status);

    internal static async Task<IResult> MeAsync(ClaimsPrincipal principal, NodeDbContext db, CancellationToken cancellationToken)
    {
        var id = Caller.Id(principal);
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == id, cancellationToken).ConfigureAwait(false);
        return Results.Ok(ToInfo(user));
    }

    internal static async Task<IResult> ListAsync(NodeDbContext db, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken).ConfigureAwait(false);
        return Results.Ok(users.Select(ToInfo).ToList());
    }

    internal static async Task<IResult> InviteAsync(InvitationRequest? request, ClaimsPrincipal principal, NodeDbContext db, AuditLog audit,
        TimeProvider time, IOptions<NodeOptions> options, CancellationToken cancellationToken)
    {
        if (request is null || EmailProblem(request.Email) is { } problem)
        {
            return Problems.Invalid(request is null ? "Send {\"email\": ..., \"role\": ...}." : EmailProblem(request.Email)!);
        }

        if (request.Role == Role.Owner || !Enum.IsDefined(request.Role))
        {
            return Problems.Invalid("An invitation's role must be Admin, DataScientist or Guest.");
        }

        if (request.Role == Role.Admin && Caller.Role(principal) != Role.Owner)
        {
            return Problems.Forbidden("Only the owner can invite admins.");
        }

        var code = Ids.NewSecret();
        var expires = time.GetUtcNow() + options.Value.InvitationLifetime;
        var caller = Caller.Id(principal);
        db.Invitations.Add(new InvitationRecord
        {
            Hash = Ids.Hash(code), Email = Normalize(request.Email), Role = request.Role, ExpiresAt = expires, CreatedBy = caller,
        });
        audit.Add(caller, "user.invite", Normalize(request.Email));
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Results.Ok(new InvitationResponse(code, expires));
    }

    internal static async Task<IResult> RegisterAsync(RegisterRequest? request, NodeDbContext db, AuditLog audit, TimeProvider time,
        IOptions<NodeOptions> options, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return Problems.Invalid("Send {\"email\": ..., \"password\": ..., \"invitationCode\": ...}.");
        }

        if (EmailProblem(request.Email) is { } emailProblem)
        {
            return Problems.Invalid(emailProblem);
        }

        if (PasswordHasher.Problem(request.Password) is { } passwordProblem)
        {
            return Problems.Invalid(passwordProblem);
        }

        var email = Normalize(request.Email);
        var role = Role.Guest;
        var status = AccountStatus.Pending;
        InvitationRecord? invitation = null;
        if (request.InvitationCode is not null)
        {
            var hash = Ids.Hash(request.InvitationCode);
            invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Hash == hash, cancellationToken).ConfigureAwait(false);
            if (invitation is null || invitation.Used || invitation.ExpiresAt <= time.GetUtcNow() || invitation.Email != email)
            {
                return Problems.Invalid("The invitation code is not valid for this email (wrong, used or expired).");
            }

            invitation.Used = true;
            role = invitation.Role;
            status = AccountStatus.Active;
        }

        if (await db.Users.AnyAsync(u => u.Email == email, cancellationToken).ConfigureAwait(false))
        {
            return Problems.Conflict("An account with this email exists already.");
        }

        var user = new UserRecord
        {
            Id = Ids.NewId(),
            Email = email,
            PasswordHash = new PasswordHasher(options.Value.PasswordIterations).Hash(request.Password),
            Role = role,
            Status = status,
            CreatedAt = time.GetUtcNow(),
        };
        db.Users.Add(user);
        audit.Add(user.Id, "user.register", user.Id);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Results.Created($"{ApiRoutes.Users}/{user.Id}", ToInfo(user));
    }

    internal static async Task<IResult> ApproveAsync(string id, ClaimsPrincipal principal, NodeDbContext db, AuditLog audit,
        CancellationToken cancellationToken)
    {
        var user = Ids.LooksLikeId(id)
            ? await db.Users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken).ConfigureAwait(false)
            : null;
        if (user is null)
        {
            return Problems.NotFound("user");
        }

        user.Status = AccountStatus.Active;
        audit.Add(Caller.Id(principal), "user.approve", user.Id);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Results.Ok(ToInfo(user));
    }

    internal static string Normalize(string email) => email.Trim().ToLowerInvariant();

    internal static string? EmailProblem(string? email)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > 320)
        {
            return "An email of at most 320 characters is required.";
        }

        return MailAddress.TryCreate(email.Trim(), out var parsed) && parsed.Address == email.Trim() ? null : "The email is not a valid address.";
    }
}
