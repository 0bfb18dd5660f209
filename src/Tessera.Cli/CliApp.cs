using System.CommandLine;
using Tessera.Cli.Commands;

namespace Tessera.Cli;

/// <summary>The <c>tessera</c> command tree.</summary>
internal static class CliApp
{
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("Tessera: privacy-preserving machine learning for .NET (tensors and autograd, federated learning, MPC, DP).");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(NodeCommand.Create());
        root.Subcommands.Add(NetworkCommand.Create());
        root.Subcommands.Add(LoginCommand.Create());
        root.Subcommands.Add(LoginCommand.CreateLogout());
        root.Subcommands.Add(DatasetCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(RequestsCommand.Create());
        root.Subcommands.Add(UsersCommand.Create());
        root.Subcommands.Add(UsersCommand.CreateRegister());
        root.Subcommands.Add(PrivacyCommand.CreateBudget());
        root.Subcommands.Add(PrivacyCommand.CreateRelease());
        return root;
    }
}
