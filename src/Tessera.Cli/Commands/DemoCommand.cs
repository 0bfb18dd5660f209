using System.CommandLine;
using Tessera.Cli.Demo;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera demo</c>: the end-to-end demo on embedded defaults; each use case adds its part.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var seed = new Option<ulong?>("--seed") { Description = "Seed for reproducible runs." };
        var command = new Command("demo",
            "Run the end-to-end demo: LeNet-5 on MNIST for one epoch, then private statistics on a hospital's node through a network gateway.") { seed };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            Console.WriteLine("== Tessera demo 1/2: tensors and autograd, LeNet-5 on real MNIST ==");
            var trained = await TrainCommand.RunAsync(
                new TrainSettings("lenet", 1, 64, 3e-3, "adam", parse.GetValue(seed), CliPaths.DataDirectory("mnist"), null),
                cancellationToken).ConfigureAwait(false);
            if (trained != 0)
            {
                return trained;
            }

            Console.WriteLine();
            Console.WriteLine("== Tessera demo 2/2: remote data science, private statistics on birth records (use case 1) ==");
            var result = await PrivateStatisticsDemo.RunAsync(parse.GetValue(seed), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"released to the data scientist: mean weight {result.MeanWeight:F3} kg, mean length {result.MeanHeight:F2} cm (approved), "
                + $"mean weight {result.DpMeanWeight:F3} kg (differential privacy, epsilon 1); no row left the node.");
            return 0;
        }));
        return command;
    }
}
