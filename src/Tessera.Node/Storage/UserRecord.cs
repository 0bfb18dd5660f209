using Tessera.Contracts;

namespace Tessera.Node.Storage;

/// <summary>An account row.</summary>
internal sealed class UserRecord
{
    public required string Id { get; set; }

    /// <summary>The email, lower-cased: unique.</summary>
    public required string Email { get; set; }

    /// <summary>PBKDF2 hash in <see cref="Security.PasswordHasher"/>'s format; never leaves the node.</summary>
    public required string PasswordHash { get; set; }

    public Role Role { get; set; }

    public AccountStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
