using Tessera.Cli.Commands;

namespace Tessera.Core.Tests.Cli;

public sealed class MpcEndpointsTests
{
    [Theory]
    [InlineData("127.0.0.1:5001:p0,127.0.0.1:5002", "127.0.0.1:5002")]
    [InlineData("127.0.0.1:0:p0,127.0.0.1:5002:p1,127.0.0.1:5003:d", "127.0.0.1:0:p0")]
    [InlineData("127.0.0.1:99999:p0,127.0.0.1:5002:p1,127.0.0.1:5003:d", "99999")]
    [InlineData("127.0.0.1:5001:p0,127.0.0.1:5002:p1", "at least two parties and a dealer")]
    public void ParseEndpoints_Bad_NamesTheEntry(string text, string fragment) =>
        Assert.Contains(fragment, Assert.Throws<ArgumentException>(() => MpcCommand.ParseEndpoints(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void ParseEndpoints_Good_KeepsOrder()
    {
        var endpoints = MpcCommand.ParseEndpoints("127.0.0.1:5001:p0, localhost:5002:p1 ,10.0.0.3:5003:dealer");
        Assert.Equal(["p0", "p1", "dealer"], endpoints.Select(e => e.Name));
        Assert.Equal(5002, endpoints[1].Port);
        Assert.Equal("localhost", endpoints[1].Host);
    }
}
