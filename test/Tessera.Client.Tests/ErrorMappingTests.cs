using System.Net;
using System.Text;
using Tessera.Contracts;

namespace Tessera.Client.Tests;

/// <summary>Failures mapped to exceptions, with a scripted HTTP handler and an unreachable port.</summary>
public sealed class ErrorMappingTests
{
    [Theory]
    [InlineData(401, ProblemTypes.Unauthenticated, typeof(AuthenticationException), false)]
    [InlineData(403, ProblemTypes.Forbidden, typeof(AccessDeniedException), false)]
    [InlineData(404, ProblemTypes.NotFound, typeof(NotFoundException), false)]
    [InlineData(400, ProblemTypes.Invalid, typeof(InvalidRequestException), false)]
    [InlineData(413, ProblemTypes.TooLarge, typeof(InvalidRequestException), false)]
    [InlineData(409, ProblemTypes.Conflict, typeof(ConflictException), false)]
    [InlineData(429, NetworkProblemTypes.RateLimited, typeof(ServiceUnavailableException), true)]
    [InlineData(503, NetworkProblemTypes.NetworkFull, typeof(ServiceUnavailableException), true)]
    [InlineData(500, null, typeof(ServerErrorException), false)]
    [InlineData(502, null, typeof(ServiceUnavailableException), true)]
    [InlineData(403, null, typeof(AccessDeniedException), false)]
    public async Task Failure_ProblemTypeOrStatus_MapsToExceptionType(int status, string? type, Type expected, bool transient)
    {
        var body = type is null ? null : $$"""{"type":"{{type}}","title":"Refused","status":{{status}},"detail":"Ask the owner."}""";
        using var http = new HttpClient(new ScriptedHandler((HttpStatusCode)status, body));
        using var client = DomainClient.FromToken(new Uri("http://node.example/"), "tok-abcdef-must-not-leak", http);

        var ex = await Assert.ThrowsAsync(expected, () => client.ListDatasetsAsync());
        var tessera = Assert.IsAssignableFrom<TesseraException>(ex);
        Assert.Equal(transient, tessera.IsTransient);
        Assert.Equal(status, tessera.StatusCode);
        Assert.Contains(ApiRoutes.Datasets, tessera.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-abcdef", tessera.ToString(), StringComparison.Ordinal);
        if (tessera is AccessDeniedException denied && type is not null)
        {
            Assert.Equal("Ask the owner.", denied.HowToAsk);
        }
    }

    [Fact]
    public async Task RateLimited_RetryAfterHeader_IsExposed()
    {
        using var http = new HttpClient(new ScriptedHandler(HttpStatusCode.TooManyRequests, null, retryAfterSeconds: 7));
        using var network = TesseraNetwork.Connect(new Uri("http://gateway.example/"), http);
        var ex = await Assert.ThrowsAsync<ServiceUnavailableException>(() => network.SearchAsync("x"));
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
    }

    [Fact]
    public async Task SuccessWithGarbageBody_ThrowsServerErrorException()
    {
        using var http = new HttpClient(new ScriptedHandler(HttpStatusCode.OK, "{not json"));
        using var client = DomainClient.FromToken(new Uri("http://node.example/"), "token", http);
        await Assert.ThrowsAsync<ServerErrorException>(() => client.ListDatasetsAsync());
    }

    [Fact]
    public async Task SearchAsync_ResultWithUnparsableUrl_IsSkipped()
    {
        const string body = """
            [{"domainId":"a","domainName":"good","url":"http://good.example/","lastSeen":"2026-01-01T00:00:00Z","datasets":[]},
             {"domainId":"b","domainName":"bad","url":"not a url","lastSeen":"2026-01-01T00:00:00Z","datasets":[]}]
            """;
        using var http = new HttpClient(new ScriptedHandler(HttpStatusCode.OK, body));
        using var network = TesseraNetwork.Connect(new Uri("http://gateway.example/"), http);
        var domain = Assert.Single(await network.SearchAsync("x"));
        Assert.Equal(new Uri("http://good.example/"), domain.Url);
    }

    [Fact]
    public async Task Unreachable_ThrowsTransientServiceUnavailableException()
    {
        using var network = TesseraNetwork.Connect(new Uri($"http://127.0.0.1:{LiveNetwork.FreePort()}/"));
        var ex = await Assert.ThrowsAsync<ServiceUnavailableException>(() => network.SearchAsync("x"));
        Assert.True(ex.IsTransient);
        Assert.Null(ex.StatusCode);
    }

    [Theory]
    [InlineData("ftp://node.example/")]
    [InlineData("http://user:pass@node.example/")]
    public void Connect_BadUrl_ThrowsArgumentException(string url)
    {
        Assert.Throws<ArgumentException>(() => TesseraNetwork.Connect(new Uri(url)));
        Assert.Throws<ArgumentException>(() => DomainClient.FromToken(new Uri(url), "token"));
    }

    private sealed class ScriptedHandler(HttpStatusCode status, string? problemJson, int? retryAfterSeconds = null) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(status)
            {
                Content = problemJson is null
                    ? new StringContent("upstream failure", Encoding.UTF8, "text/plain")
                    : new StringContent(problemJson, Encoding.UTF8, status == HttpStatusCode.OK ? "application/json" : "application/problem+json"),
            };
            if (retryAfterSeconds is { } seconds)
            {
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
            }

            return Task.FromResult(response);
        }
    }
}
