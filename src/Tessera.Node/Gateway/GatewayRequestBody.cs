using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Tessera.Contracts;
using Tessera.Node.Apis;

namespace Tessera.Node.Gateway;

/// <summary>
/// Reads a JSON body with a hard size limit, whatever the server (Kestrel enforces its own limit too; the in-process test
/// server does not), and turns malformed JSON into a 400 ProblemDetails instead of an exception.
/// </summary>
internal static class GatewayRequestBody
{
    /// <summary>The parsed body; null with no problem when the body is empty.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, long limit, JsonSerializerOptions json,
        CancellationToken cancellationToken)
        where T : class
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        if (request.ContentLength > limit)
        {
            return (null, TooLarge(limit));
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return (null, TooLarge(limit));
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's own limit tripped first (a chunked body without Content-Length): same answer, no error log.
            return (null, TooLarge(limit));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        if (buffer.Length == 0)
        {
            return (null, null);
        }

        if (!request.HasJsonContentType())
        {
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.Invalid, "Unsupported media type",
                "Send the body as application/json."));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), json);
            return value is null ? (null, Problems.Invalid("The body must be a JSON object, not null.")) : (value, null);
        }
        catch (JsonException)
        {
            // The exception's message can quote the input; say only what shape was expected.
            return (null, Problems.Invalid($"The body is not valid JSON of the expected shape ({typeof(T).Name})."));
        }
    }

    private static IResult TooLarge(long limit) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, ProblemTypes.TooLarge, "Request body too large",
            $"The body is larger than the gateway accepts ({limit} bytes).");
}
