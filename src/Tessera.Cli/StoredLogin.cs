namespace Tessera.Cli;

/// <summary>One stored login.</summary>
internal sealed record StoredLogin(string Email, string Token, DateTimeOffset? ExpiresAt)
{
    /// <summary>Never the token.</summary>
    public override string ToString() => $"StoredLogin {{ Email = {Email}, ExpiresAt = {ExpiresAt} }}";
}
