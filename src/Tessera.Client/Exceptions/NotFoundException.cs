namespace Tessera.Client;

/// <summary>No such object, or not one the caller may see (a node answers both alike, so a guessed id reveals nothing).</summary>
public sealed class NotFoundException : TesseraException
{
    internal NotFoundException(string message, int? statusCode, string? problemType, Exception? innerException = null)
        : base(message, statusCode, problemType, innerException)
    {
    }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
