namespace Tessera.Node.Storage;

/// <summary>One audited event. Holds ids and action names, never secrets or private values.</summary>
internal sealed class AuditRecord
{
    public required string Id { get; set; }

    public DateTimeOffset At { get; set; }

    public string? ActorId { get; set; }

    public required string Action { get; set; }

    public string? Subject { get; set; }

    public required string Outcome { get; set; }
}
