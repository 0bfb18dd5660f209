using Tessera.Cli;

namespace Tessera.Core.Tests.Cli;

public class CliParsingTests
{
    [Theory]
    [InlineData("train --epochs 0", "--epochs")]
    [InlineData("train --epochs 1001", "--epochs")]
    [InlineData("train --batch-size 0", "--batch-size")]
    [InlineData("train --lr -1", "--lr")]
    [InlineData("train --lr 1e9", "--lr")]
    [InlineData("train --model resnet", "resnet")]
    [InlineData("train --data cifar", "cifar")]
    [InlineData("train --optimizer rmsprop", "rmsprop")]
    [InlineData("train --epochs many", "many")]
    [InlineData("data fetch imagenet", "imagenet")]
    [InlineData("data fetch", "dataset")]
    [InlineData("nonsense", "nonsense")]
    public void Parse_BadArguments_ReportErrorNamingThem(string commandLine, string fragment)
    {
        var result = CliApp.CreateRootCommand().Parse(commandLine);
        Assert.NotEmpty(result.Errors);
        Assert.Contains(result.Errors, e => e.Message.Contains(fragment, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("train --data mnist --model mlp --epochs 5")]
    [InlineData("train --model lenet --epochs 3 --batch-size 128 --lr 0.001 --optimizer sgd --seed 7")]
    [InlineData("data fetch mnist --cache-dir /tmp/x")]
    [InlineData("demo --seed 1")]
    public void Parse_GoodArguments_HaveNoErrors(string commandLine) =>
        Assert.Empty(CliApp.CreateRootCommand().Parse(commandLine).Errors);
}
