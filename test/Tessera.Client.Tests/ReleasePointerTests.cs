namespace Tessera.Client.Tests;

/// <summary>Only whole-column sums, means and variances can be released under differential privacy; others are refused before any request.</summary>
public sealed class ReleasePointerTests
{
    [Fact]
    public async Task ReleaseAsync_NotAWholeColumnAggregate_ThrowsNotSupportedBeforeSending()
    {
        using var client = DomainClient.FromToken(new Uri("http://127.0.0.1:9/"), "token-never-sent");
        var weight = client.Dataset("0123456789abcdef0123456789abcdef")["weight"];

        await Assert.ThrowsAsync<NotSupportedException>(() => weight.ReleaseAsync(1));
        await Assert.ThrowsAsync<NotSupportedException>(() => weight.Abs().Mean().ReleaseAsync(1));
        await Assert.ThrowsAsync<NotSupportedException>(() => weight.Max().ReleaseAsync(1));
        var message = (await Assert.ThrowsAsync<NotSupportedException>(() => weight.Mean(0).ReleaseAsync(1))).Message;
        Assert.DoesNotContain("token-never-sent", message, StringComparison.Ordinal);
    }
}
