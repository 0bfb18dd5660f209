namespace Tessera.Node.Storage;

/// <summary>An issued bearer token, stored only as its SHA-256 so a database leak reveals no usable token.</summary>
internal sealed class TokenRecord
{
    /// <summary>Hex SHA-256 of the token.</summary>
    public required string Hash { get; set; }

    public required string UserId { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public bool Revoked { get; set; }
}
