using Tessera.Contracts;

namespace Tessera.Node.Storage;

/// <summary>An invitation, stored only as the SHA-256 of its code; used once.</summary>
internal sealed class InvitationRecord
{
    public required string Hash { get; set; }

    public required string Email { get; set; }

    public Role Role { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public bool Used { get; set; }

    public required string CreatedBy { get; set; }
}
