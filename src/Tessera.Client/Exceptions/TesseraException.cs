namespace Tessera.Client;

/// <summary>
/// The root of every failure the Tessera SDK reports: a node or gateway refused the request, or could not be reached. Messages
/// say what was wrong and what to do; they never contain a token, password or private value.
/// </summary>
public abstract class TesseraException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="statusCode">The HTTP status the server answered, or null when there was no answer.</param>
    /// <param name="problemType">The ProblemDetails <c>type</c> the server answered, or null.</param>
    /// <param name="innerException">The underlying failure, or null.</param>
    private protected TesseraException(string message, int? statusCode, string? problemType, Exception? innerException)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ProblemType = problemType;
    }

    /// <summary>The HTTP status the server answered, or null when it could not be reached.</summary>
    public int? StatusCode { get; }

    /// <summary>The stable ProblemDetails <c>type</c> URI (see <c>Tessera.Contracts.ProblemTypes</c>), or null.</summary>
    public string? ProblemType { get; }

    /// <summary>True when the same request may succeed if retried later (a timeout, an unreachable server, a rate limit).</summary>
    public abstract bool IsTransient { get; }
}
