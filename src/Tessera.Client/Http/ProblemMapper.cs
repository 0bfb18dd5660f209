using System.Net;
using System.Text.Json;
using Tessera.Contracts;

namespace Tessera.Client.Http;

/// <summary>
/// Turns a failed answer into the matching <see cref="TesseraException"/>: by the ProblemDetails <c>type</c> first (stable,
/// see <see cref="ProblemTypes"/>), else by status. The message names the request's method and path (never its headers, so
/// never the token) and the server's title and detail.
/// </summary>
internal static class ProblemMapper
{
    private const int MaxBodyChars = 16 * 1024;

    public static async Task<TesseraException> ToExceptionAsync(HttpResponseMessage response, HttpMethod method, Uri uri,
        CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var problem = await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false);
        var title = string.IsNullOrWhiteSpace(problem?.Title) ? response.ReasonPhrase ?? "Request failed" : problem.Title;
        var detail = problem?.Detail;
        var message = $"{title}{(string.IsNullOrWhiteSpace(detail) ? string.Empty : ": " + detail)} ({method} {uri.AbsolutePath} answered {status})";
        var type = problem?.Type;
        return type switch
        {
            ProblemTypes.Unauthenticated => new AuthenticationException(message, status, type),
            ProblemTypes.Forbidden => new AccessDeniedException(message, detail ?? title, status, type),
            ProblemTypes.NotFound => new NotFoundException(message, status, type),
            ProblemTypes.Invalid or ProblemTypes.TooLarge => new InvalidRequestException(message, status, type),
            ProblemTypes.Conflict => new ConflictException(message, status, type),
            NetworkProblemTypes.RateLimited or NetworkProblemTypes.NetworkFull =>
                new ServiceUnavailableException(message, status, type, RetryAfter(response)),
            _ => ByStatus(response, message, status, detail ?? title, type),
        };
    }

    private static TesseraException ByStatus(HttpResponseMessage response, string message, int status, string howToAsk, string? type) =>
        response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new AuthenticationException(message, status, type),
            HttpStatusCode.Forbidden => new AccessDeniedException(message, howToAsk, status, type),
            HttpStatusCode.NotFound => new NotFoundException(message, status, type),
            HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity =>
                new InvalidRequestException(message, status, type),
            HttpStatusCode.Conflict => new ConflictException(message, status, type),
            HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
                or HttpStatusCode.RequestTimeout => new ServiceUnavailableException(message, status, type, RetryAfter(response)),
            _ => new ServerErrorException(message, status, type),
        };

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter is { } retry
            ? retry.Delta ?? (retry.Date is { } date ? date - DateTimeOffset.UtcNow : null)
            : null;

    private static async Task<Problem?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null || !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return text.Length > MaxBodyChars ? null : JsonSerializer.Deserialize<Problem>(text, ClientJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException or IOException)
        {
            return null;
        }
    }
}
