using Tessera.Cli;
using Tessera.Cli.Commands;

namespace Tessera.Client.Tests;

/// <summary>Every network verb's bad arguments are reported by the parser, naming the option or value.</summary>
public sealed class CliParsingTests
{
    [Theory]
    [InlineData("node start --port 5100", "--name")]
    [InlineData("node start --name clinic", "--port")]
    [InlineData("node start --name clinic --port 0", "--port")]
    [InlineData("node start --name clinic --port 70000", "--port")]
    [InlineData("node start --name clinic --port many", "many")]
    [InlineData("node start --name clinic --port 5100 --network ftp://gw", "--network")]
    [InlineData("node start --name clinic --port 5100 --network not-a-url", "--network")]
    [InlineData("node start --name clinic --port 5100 --public-url http://u:p@host", "--public-url")]
    [InlineData("node start --name clinic --port 5100 --owner-email nobody", "--owner-email")]
    [InlineData("node stop", "stop")]
    [InlineData("network start", "--port")]
    [InlineData("network start --port -1", "--port")]
    [InlineData("login --email a@b.example", "--node")]
    [InlineData("login --node http://127.0.0.1:5100", "--email")]
    [InlineData("login --node localhost:5100 --email a@b.example", "--node")]
    [InlineData("login --node http://127.0.0.1:5100 --email not-an-email", "--email")]
    [InlineData("dataset list", "--node")]
    [InlineData("dataset list --node nowhere", "--node")]
    [InlineData("dataset delete --node http://127.0.0.1:5100", "id")]
    [InlineData("dataset publish --node http://127.0.0.1:5100 --name x --column a:0:1", "--file")]
    [InlineData("dataset publish --node http://127.0.0.1:5100 --name x --file /no/such/file.csv --column a:0:1", "/no/such/file.csv")]
    [InlineData("dataset publish --node http://127.0.0.1:5100 --file /etc/hostname --column a:0:1", "--name")]
    [InlineData("dataset publish --node http://127.0.0.1:5100 --name x --file /etc/hostname", "--column")]
    [InlineData("dataset publish --node http://127.0.0.1:5100 --name x --file /etc/hostname --column age", "age")]
    [InlineData("dataset publish --node http://127.0.0.1:5100 --name x --file /etc/hostname --column age:9:1", "age:9:1")]
    [InlineData("dataset publish --node http://127.0.0.1:5100 --name x --file /etc/hostname --column age:a:b", "age:a:b")]
    [InlineData("dataset publish --node http://127.0.0.1:5100 --name x --file /etc/hostname --column a:0:1 --format parquet", "parquet")]
    [InlineData("dataset frobnicate", "frobnicate")]
    [InlineData("search --tag births", "--network")]
    [InlineData("search --network http://127.0.0.1:5000", "--tag")]
    [InlineData("search --network gateway --tag births", "--network")]
    [InlineData("audit", "--node")]
    [InlineData("audit --node http://127.0.0.1:5100 --limit 0", "--limit")]
    [InlineData("audit --node http://127.0.0.1:5100 --limit 5000", "--limit")]
    [InlineData("logout", "--node")]
    [InlineData("requests list", "--node")]
    [InlineData("requests list --node http://127.0.0.1:5100 --status maybe", "maybe")]
    [InlineData("requests approve --node http://127.0.0.1:5100", "id")]
    [InlineData("requests deny 0123 --node bad-url", "--node")]
    [InlineData("requests frobnicate", "frobnicate")]
    public void Parse_BadArguments_ReportErrorNamingThem(string commandLine, string fragment)
    {
        var result = CliApp.CreateRootCommand().Parse(commandLine);
        Assert.NotEmpty(result.Errors);
        Assert.Contains(result.Errors, e => e.Message.Contains(fragment, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("node start --name clinic --port 5100 --network http://127.0.0.1:5000 --owner-email owner@clinic.example --data /tmp/x")]
    [InlineData("network start --port 5000")]
    [InlineData("login --node http://127.0.0.1:5100 --email a@b.example")]
    [InlineData("dataset publish --node http://127.0.0.1:5100 --name x --file /etc/hostname --column a:0:1 --column b:-1.5:2e3 --tag t --tag u")]
    [InlineData("dataset list --node http://127.0.0.1:5100/ --tag births")]
    [InlineData("dataset delete --node http://127.0.0.1:5100 0123456789abcdef0123456789abcdef")]
    [InlineData("search --network http://127.0.0.1:5000 --tag a --tag b")]
    [InlineData("audit --node http://127.0.0.1:5100 --limit 10")]
    [InlineData("requests list --node http://127.0.0.1:5100 --status Pending")]
    [InlineData("requests approve --node http://127.0.0.1:5100 0123456789abcdef0123456789abcdef --reason ok")]
    [InlineData("requests deny --node http://127.0.0.1:5100 0123456789abcdef0123456789abcdef")]
    public void Parse_GoodArguments_HasNoErrors(string commandLine)
    {
        var result = CliApp.CreateRootCommand().Parse(commandLine);
        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("age:0:120", "age", 0, 120)]
    [InlineData("time:of:day:-1.5:2e3", "time:of:day", -1.5, 2000)]
    public void ParseColumn_NameWithBounds_SplitsFromTheRight(string text, string name, double min, double max)
    {
        var column = DatasetCommand.ParseColumn(text);
        Assert.NotNull(column);
        Assert.Equal((name, min, max), (column.Name, column.Min, column.Max));
    }

    [Theory]
    [InlineData("age")]
    [InlineData(":0:1")]
    [InlineData("age:1")]
    [InlineData("age:NaN:1")]
    [InlineData("age:2:1")]
    public void ParseColumn_Malformed_ReturnsNull(string text) => Assert.Null(DatasetCommand.ParseColumn(text));
}
