using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tessera.Client.Http;

/// <summary>
/// Sends requests to one server (a node or the gateway) and maps failures to <see cref="TesseraException"/>s. Uses absolute
/// URIs and per-request headers, so a caller's shared <see cref="HttpClient"/> is never modified.
/// </summary>
internal sealed class ClientHttp : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _owned;

    public ClientHttp(Uri baseUri, HttpClient? http)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        if (!baseUri.IsAbsoluteUri || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Expected an absolute http or https URL, got '{baseUri}'.", nameof(baseUri));
        }

        if (!string.IsNullOrEmpty(baseUri.UserInfo))
        {
            throw new ArgumentException("The URL must not carry credentials.", nameof(baseUri));
        }

        BaseUri = new Uri(baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        _owned = http is null;
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
    }

    public Uri BaseUri { get; }

    public Uri Resolve(string route) => new(BaseUri, route.TrimStart('/'));

    public async Task<T> SendJsonAsync<T>(HttpMethod method, string route, object? body, string? token, CancellationToken cancellationToken)
    {
        using var request = Create(method, route, token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: ClientJson.Options);
        }

        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, request, cancellationToken).ConfigureAwait(false);
    }

    public async Task SendAsync(HttpMethod method, string route, string? token, CancellationToken cancellationToken)
    {
        using var request = Create(method, route, token);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    public HttpRequestMessage Create(HttpMethod method, string route, string? token)
    {
        var request = new HttpRequestMessage(method, Resolve(route));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    /// <summary>Sends <paramref name="request"/>; answers the response when it succeeded, else throws the mapped exception.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new ServiceUnavailableException(
                $"Could not reach {uri.GetLeftPart(UriPartial.Authority)} ({request.Method} {uri.AbsolutePath}): {ex.Message}", null, null,
                innerException: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServiceUnavailableException(
                $"{uri.GetLeftPart(UriPartial.Authority)} did not answer {request.Method} {uri.AbsolutePath} in time.", null, null, innerException: ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ProblemMapper.ToExceptionAsync(response, request.Method, uri, cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(ClientJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException("empty body");
        }
        catch (JsonException ex)
        {
            throw new ServerErrorException(
                $"{request.Method} {request.RequestUri!.AbsolutePath} answered {(int)response.StatusCode} with a body that is not a {typeof(T).Name}: "
                + ex.Message, (int)response.StatusCode, null, ex);
        }
    }

    public void Dispose()
    {
        if (_owned)
        {
            _http.Dispose();
        }
    }
}
