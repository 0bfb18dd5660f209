using System.Globalization;
using System.Security.Cryptography;

namespace Tessera.Node.Security;

/// <summary>
/// PBKDF2-HMAC-SHA256 password hashes with a 128-bit random salt, stored as <c>pbkdf2-sha256$iterations$salt$hash</c>
/// (base64). Verification is constant-time and honours the iteration count stored with each hash.
/// </summary>
internal sealed class PasswordHasher(int iterations)
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>The shortest password accepted.</summary>
    public const int MinimumLength = 12;

    /// <summary>The longest password accepted (PBKDF2 cost grows with it; longer is not stronger).</summary>
    public const int MaximumLength = 256;

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            return false;
        }

        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, n, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Why a password is unacceptable, or null.</summary>
    public static string? Problem(string? password) => password switch
    {
        null => "A password is required.",
        { Length: < MinimumLength } => $"The password must have at least {MinimumLength} characters.",
        { Length: > MaximumLength } => $"The password must have at most {MaximumLength} characters.",
        _ => null,
    };
}
