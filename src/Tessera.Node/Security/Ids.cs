using System.Security.Cryptography;

namespace Tessera.Node.Security;

/// <summary>Unguessable ids and secrets from the OS CSPRNG, and their stored hashes.</summary>
internal static class Ids
{
    /// <summary>A new 128-bit random id as 32 lower-case hex characters.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A new 256-bit secret (token, invitation code) in base64url without padding.</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The hex SHA-256 of a secret: what the database keeps instead of the secret.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether <paramref name="id"/> has the shape of an id (so a malformed one answers like a missing one, cheaply).</summary>
    public static bool LooksLikeId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
