using System.CommandLine;
using Tessera.Cli.Demo;
using Tessera.Cli.Mpc;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera demo</c>: the end-to-end demo on embedded defaults; each use case adds its part.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var seed = new Option<ulong?>("--seed") { Description = "Seed for reproducible runs." };
        var command = new Command("demo",
            "Run the end-to-end demo: LeNet-5 on MNIST for one epoch, private statistics on a hospital's node through a network gateway, Yao's millionaires by MPC, and encrypted inference of the LeNet-5.") { seed };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            // Part 4 serves part 1's model encrypted; it lives in a private temporary folder until the demo ends.
            var folder = Directory.CreateTempSubdirectory("tessera-demo-");
            try
            {
                return await RunPartsAsync(parse.GetValue(seed), new FileInfo(Path.Combine(folder.FullName, "lenet.safetensors")), cancellationToken)
                    .ConfigureAwait(false);
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        }));
        return command;
    }

    private static async Task<int> RunPartsAsync(ulong? seed, FileInfo model, CancellationToken cancellationToken)
    {
        Console.WriteLine("== Tessera demo 1/4: tensors and autograd, LeNet-5 on real MNIST ==");
        var directory = CliPaths.DataDirectory("mnist");
        var trained = await TrainCommand.RunAsync(
            new TrainSettings("lenet", 1, 64, 3e-3, "adam", seed, directory, model), cancellationToken).ConfigureAwait(false);
        if (trained != 0)
        {
            return trained;
        }

        Console.WriteLine();
        Console.WriteLine("== Tessera demo 2/4: remote data science, private statistics on birth records (use case 1) ==");
        var result = await PrivateStatisticsDemo.RunAsync(seed, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"released to the data scientist: mean weight {result.MeanWeight:F3} kg, mean length {result.MeanHeight:F2} cm (approved), "
            + $"mean weight {result.DpMeanWeight:F3} kg (differential privacy, epsilon 1); no row left the node.");

        Console.WriteLine();
        Console.WriteLine("== Tessera demo 3/4: secure multi-party computation, Yao's millionaires (use case 6) ==");
        Console.WriteLine("two parties and a dealer, each its own process over TCP with TLS 1.3 and mutual certificates:");
        var millionaires = await LocalMesh.RunAsync(3, rank => rank switch
        {
            0 => ["--program", "millionaires", "--wealth", "2400000"],
            1 => ["--program", "millionaires", "--wealth", "2350000.5"],
            _ => ["--program", "millionaires"],
        }, cancellationToken).ConfigureAwait(false);
        var verdict = MpcCommand.Report(millionaires, ["  party 0", "  party 1", "  dealer"], lastLineOf: 0);
        if (verdict != 0)
        {
            return verdict;
        }

        Console.WriteLine();
        Console.WriteLine("== Tessera demo 4/4: encrypted inference of part 1's LeNet-5 (use case 4) ==");
        Console.WriteLine("the model owner and a client, each its own process, and a dealer; only the client learns the predictions:");
        string[] common = ["--program", "infer", "--images", "200", "--batch", "100"];
        var inference = await LocalMesh.RunAsync(3, rank => rank == 0 ? [.. common, "--model", model.FullName] : common, cancellationToken)
            .ConfigureAwait(false);
        return MpcCommand.Report(inference, ["  party 0", "  party 1", "  dealer"], lastLineOf: 1);
    }
}
