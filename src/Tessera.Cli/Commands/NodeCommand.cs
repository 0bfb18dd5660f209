using System.CommandLine;
using Tessera.Node.Hosting;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera node start --name NAME --port PORT [--data DIR] [--db CONNECTION] [--network URL] [--owner-email EMAIL]</c>:
/// runs a domain node in this process until Ctrl+C. On the first start the owner's password comes from
/// <c>TESSERA_OWNER_PASSWORD</c> or, on a terminal, a prompt without echo; with neither the node refuses to start.
/// </summary>
internal static class NodeCommand
{
    public const string OwnerPasswordVariable = "TESSERA_OWNER_PASSWORD";

    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "The node's name (1 to 64 characters), shown to the network.", Required = true };
        name.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } v && (string.IsNullOrWhiteSpace(v) || v.Length > 64))
            {
                r.AddError($"--name must be 1 to 64 characters, got '{v}'.");
            }
        });
        var port = CliOptions.Port();
        var bind = new Option<string>("--bind") { Description = "The address to listen on (default 127.0.0.1; 0.0.0.0 for all).", DefaultValueFactory = _ => "127.0.0.1" };
        var data = new Option<string?>("--data") { Description = "Where the SQLite database and dataset files live (default: $TESSERA_HOME/nodes/NAME, else ~/.local/share/tessera/nodes/NAME)." };
        var db = new Option<string?>("--db") { Description = "A PostgreSQL connection string (default: SQLite under --data)." };
        var network = CliOptions.Url("--network", "A network gateway URL: register there and send heartbeats with the catalogue.", required: false);
        var publicUrl = CliOptions.Url("--public-url", "The URL the network advertises for this node (default: http://localhost:PORT).", required: false);
        var ownerEmail = CliOptions.Email("--owner-email", "The owner's email, used on the first start to create the owner.", required: false);
        var start = new Command("start", "Run a domain node until Ctrl+C.") { name, port, bind, data, db, network, publicUrl, ownerEmail };
        start.SetAction((parse, cancellationToken) => CliErrors.RunAsync(() => StartAsync(new NodeStartSettings(
            parse.GetValue(name)!, parse.GetValue(port), parse.GetValue(bind)!, parse.GetValue(data), parse.GetValue(db),
            parse.GetValue(network), parse.GetValue(publicUrl), parse.GetValue(ownerEmail)), cancellationToken)));
        return new Command("node", "Run a domain node.") { start };
    }

    public static async Task<int> StartAsync(NodeStartSettings settings, CancellationToken cancellationToken)
    {
        var data = Path.GetFullPath(settings.DataDirectory ?? Path.Combine(CliPaths.StateHome(), "nodes", settings.Name));
        var args = new List<string>
        {
            $"--urls=http://{settings.Bind}:{settings.Port}",
            $"--Tessera:Node:Name={settings.Name}",
            $"--Tessera:Node:DataDirectory={data}",
            "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning",
            "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
        };
        if (!string.IsNullOrWhiteSpace(settings.Database))
        {
            args.Add($"--Tessera:Node:Database={settings.Database}");
        }

        if (settings.Network is not null)
        {
            args.Add($"--Tessera:Node:Network={settings.Network}");
            args.Add($"--Tessera:Node:PublicUrl={settings.PublicUrl ?? $"http://localhost:{settings.Port}/"}");
        }

        string? password = null;
        if (settings.OwnerEmail is not null)
        {
            args.Add($"--Tessera:Node:OwnerEmail={settings.OwnerEmail}");
            password = CliSecrets.Resolve(OwnerPasswordVariable, $"Password for the owner {settings.OwnerEmail} (first start only): ");
        }

        Console.WriteLine($"node {settings.Name}: http://{settings.Bind}:{settings.Port}, data in {data}"
            + (settings.Network is null ? string.Empty : $", listed on {settings.Network}") + "; Ctrl+C stops it.");
        await NodeHost.RunAsync([.. args], password, cancellationToken).ConfigureAwait(false);
        return 0;
    }
}

/// <summary>What <c>tessera node start</c> was asked to do.</summary>
internal sealed record NodeStartSettings(string Name, int Port, string Bind, string? DataDirectory, string? Database, string? Network,
    string? PublicUrl, string? OwnerEmail);
