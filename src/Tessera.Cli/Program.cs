using System.CommandLine;
using Tessera.Cli.Commands;

var root = new RootCommand("Tessera: privacy-preserving machine learning for .NET (tensors and autograd, federated learning, MPC, DP).");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(DataCommand.Create());
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
