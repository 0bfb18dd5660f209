namespace Tessera.Client;

/// <summary>The server failed on a request it should have handled, or answered something the SDK does not understand.</summary>
public sealed class ServerErrorException : TesseraException
{
    internal ServerErrorException(string message, int? statusCode, string? problemType, Exception? innerException = null)
        : base(message, statusCode, problemType, innerException)
    {
    }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
