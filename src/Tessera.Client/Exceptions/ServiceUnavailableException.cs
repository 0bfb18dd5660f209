namespace Tessera.Client;

/// <summary>
/// The server could not be reached, timed out, rate-limited the caller, or answered that it is temporarily unavailable.
/// Retrying later may succeed; <see cref="RetryAfter"/> says when, if the server said.
/// </summary>
public sealed class ServiceUnavailableException : TesseraException
{
    internal ServiceUnavailableException(string message, int? statusCode, string? problemType, TimeSpan? retryAfter = null,
        Exception? innerException = null)
        : base(message, statusCode, problemType, innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long the server asked the caller to wait before retrying, or null.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <inheritdoc />
    public override bool IsTransient => true;
}
