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
    [InlineData("train --epsilon 3", "need --dp")]
    [InlineData("train --dp --epsilon 0", "--epsilon")]
    [InlineData("train --dp --epsilon -2", "--epsilon")]
    [InlineData("train --dp --delta 0.5", "--delta")]
    [InlineData("train --dp --max-grad-norm 0", "--max-grad-norm")]
    [InlineData("train --dp --noise-multiplier -1", "--noise-multiplier")]
    [InlineData("budget set --node http://127.0.0.1:5100 --user u --dataset d --epsilon -1", "--epsilon")]
    [InlineData("release --node http://127.0.0.1:5100 --dataset d --column c --aggregate median --epsilon 1", "median")]
    [InlineData("release --node http://127.0.0.1:5100 --dataset d --column c --aggregate mean --epsilon 0", "--epsilon")]
    [InlineData("users invite --node http://127.0.0.1:5100 --email a@b.example --role Owner", "--role")]
    [InlineData("node start --name n --port 5100 --cert-key k.pem", "--cert-key")]
    [InlineData("mpc millionaires 1 x", "x")]
    [InlineData("mpc bench --dealer offline", "offline")]
    [InlineData("mpc bench --repeat many", "many")]
    [InlineData("mpc party --rank 0 --endpoints a:1:b --cert c --key k --ca ca --program chess", "chess")]
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
    [InlineData("mpc millionaires 100 200 --processes")]
    [InlineData("mpc bench")]
    [InlineData("mpc bench --repeat 3 --dealer scripted --json")]
    [InlineData("mpc infer --images 100 --batch 50 --model m.safetensors --processes")]
    [InlineData("mpc party --rank 0 --endpoints a:1:b --cert c --key k --ca ca --program infer --model m.safetensors --images 10")]
    [InlineData("train --data mnist --model dpcnn --dp --epochs 10 --epsilon 3 --delta 1e-5 --max-grad-norm 1")]
    [InlineData("budget set --node http://127.0.0.1:5100 --user u --dataset d --epsilon 2 --delta 1e-6")]
    [InlineData("release --node http://127.0.0.1:5100 --dataset d --column weight --aggregate mean --epsilon 0.5")]
    [InlineData("node start --name n --port 5100 --cert server.crt --cert-key server.key")]
    public void Parse_GoodArguments_HaveNoErrors(string commandLine) =>
        Assert.Empty(CliApp.CreateRootCommand().Parse(commandLine).Errors);
}
