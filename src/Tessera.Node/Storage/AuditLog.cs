using Tessera.Node.Security;

namespace Tessera.Node.Storage;

/// <summary>Appends audit entries in the caller's unit of work, so an action and its record commit together.</summary>
internal sealed class AuditLog(NodeDbContext db, TimeProvider time)
{
    public const string Success = "success";
    public const string Denied = "denied";

    public void Add(string? actorId, string action, string? subject, string outcome = Success) =>
        db.Audit.Add(new AuditRecord
        {
            Id = Ids.NewId(),
            At = time.GetUtcNow(),
            ActorId = actorId,
            Action = action,
            Subject = subject,
            Outcome = outcome,
        });
}
