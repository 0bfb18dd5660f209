namespace Tessera.Client;

/// <summary>The request was malformed, failed validation, or was larger than the server accepts; the message says which field.</summary>
public sealed class InvalidRequestException : TesseraException
{
    internal InvalidRequestException(string message, int? statusCode, string? problemType, Exception? innerException = null)
        : base(message, statusCode, problemType, innerException)
    {
    }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
