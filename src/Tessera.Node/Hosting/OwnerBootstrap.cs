using Microsoft.EntityFrameworkCore;
using Tessera.Contracts;
using Tessera.Node.Apis;
using Tessera.Node.Security;
using Tessera.Node.Storage;

namespace Tessera.Node.Hosting;

/// <summary>
/// Prepares storage on start: applies migrations, and on the very first start creates the owner from the configured email
/// and the password in <c>TESSERA_OWNER_PASSWORD</c>. There is no default credential: without both, the node refuses to start.
/// </summary>
internal static class OwnerBootstrap
{
    public const string PasswordVariable = "TESSERA_OWNER_PASSWORD";

    public static async Task PrepareAsync(IServiceProvider services, NodeOptions options, string? ownerPassword, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NodeDbContext>();
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await Datasets.BlobCollector.CollectAsync(db, new Datasets.DatasetBlobStore(options.DataDirectory), cancellationToken).ConfigureAwait(false);
        if (await db.Users.AnyAsync(u => u.Role == Role.Owner, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(options.OwnerEmail) || UsersApi.EmailProblem(options.OwnerEmail) is not null)
        {
            throw new InvalidOperationException(
                "This node has no owner yet. Start it once with --owner-email EMAIL and the owner's password in the environment variable "
                + $"{PasswordVariable}; there is no default account.");
        }

        if (PasswordHasher.Problem(ownerPassword) is { } problem)
        {
            throw new InvalidOperationException($"The owner's password in {PasswordVariable} is not acceptable: {problem}");
        }

        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var owner = new UserRecord
        {
            Id = Ids.NewId(),
            Email = UsersApi.Normalize(options.OwnerEmail),
            PasswordHash = new PasswordHasher(options.PasswordIterations).Hash(ownerPassword!),
            Role = Role.Owner,
            Status = AccountStatus.Active,
            CreatedAt = time.GetUtcNow(),
        };
        db.Users.Add(owner);
        scope.ServiceProvider.GetRequiredService<AuditLog>().Add(null, "node.owner-created", owner.Id);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}
