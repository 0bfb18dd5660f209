using Tessera.Cli.Mpc;

namespace Tessera.Client.Tests;

/// <summary>The JSON form of <c>tessera mpc bench</c>: its field names, its round trip and its refusal of other text.</summary>
public sealed class MpcBenchJsonTests
{
    [Fact]
    public void ToJson_TwoFigures_UsesCamelCaseNamesAndRoundTrips()
    {
        BenchFigure[] figures = [new("mul 1e6", 0.125, 0.11, 5, 24.0, 2, 0.05), new("ReLU 1e5", 0.0625, 0.05, 5, 5.5, 9, 0.02)];
        var json = BenchFigure.ToJson(figures);
        Assert.Contains("\"name\":\"mul 1e6\"", json, StringComparison.Ordinal);
        Assert.Contains("\"seconds\":0.125", json, StringComparison.Ordinal);
        Assert.Contains("\"bestSeconds\":0.11", json, StringComparison.Ordinal);
        Assert.Contains("\"repeats\":5", json, StringComparison.Ordinal);
        Assert.Contains("\"megabytesSent\":24", json, StringComparison.Ordinal);
        Assert.Contains("\"rounds\":9", json, StringComparison.Ordinal);
        Assert.Contains("\"limitSeconds\":0.02", json, StringComparison.Ordinal);
        Assert.Equal(figures, BenchFigure.ParseJson(json));
    }

    [Theory]
    [InlineData("party 0: mul 1e6: 0.1 s")]
    [InlineData("{\"name\":\"mul\"}")]
    [InlineData("null")]
    public void ParseJson_NotAnArrayOfFigures_ThrowsFormatException(string text) =>
        Assert.Throws<FormatException>(() => BenchFigure.ParseJson(text));

    [Fact]
    public void LimitSeconds_SumsLinkRoundsKeystreamAndCombine()
    {
        var limits = new MachineLimits(LinkBytesPerSecond: 1e9, RoundSeconds: 1e-4, KeystreamBytesPerSecond: 2e9, CombineSecondsPerElement: 1e-9);
        // 8e6 bytes: 8 ms on the link and 1e6 elements combined (1 ms); 2 rounds: 0.2 ms; 4e6 keystream bytes: 2 ms.
        Assert.Equal(0.0112, limits.LimitSeconds(8_000_000, 2, 4_000_000), 12);
    }
}
