namespace Tessera.Client;

/// <summary>The request conflicts with what the server stores (a duplicate email, or a different upload after one was applied).</summary>
public sealed class ConflictException : TesseraException
{
    internal ConflictException(string message, int? statusCode, string? problemType, Exception? innerException = null)
        : base(message, statusCode, problemType, innerException)
    {
    }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
