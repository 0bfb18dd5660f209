namespace Tessera.Client;

/// <summary>No valid credentials: a wrong email or password, an account awaiting approval, or an expired or revoked token. Log in again.</summary>
public sealed class AuthenticationException : TesseraException
{
    internal AuthenticationException(string message, int? statusCode, string? problemType, Exception? innerException = null)
        : base(message, statusCode, problemType, innerException)
    {
    }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
