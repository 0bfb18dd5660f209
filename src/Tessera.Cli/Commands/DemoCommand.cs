using System.CommandLine;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera demo</c>: the end-to-end demo on embedded defaults; each use case adds its part.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var seed = new Option<ulong?>("--seed") { Description = "Seed for reproducible runs." };
        var command = new Command("demo", "Run the end-to-end demo: fetch MNIST and train LeNet-5 for one epoch.") { seed };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            Console.WriteLine("== Tessera demo 1/1: tensors and autograd, LeNet-5 on real MNIST ==");
            return await TrainCommand.RunAsync(
                new TrainSettings("lenet", 1, 64, 3e-3, "adam", parse.GetValue(seed), CliPaths.DataDirectory("mnist"), null),
                cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }
}
