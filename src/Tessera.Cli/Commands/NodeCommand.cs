using System.CommandLine;
using Tessera.Node.Hosting;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera node start --name NAME --port PORT [--data DIR] [--db CONNECTION] [--network URL] [--owner-email EMAIL]
/// [--cert FILE [--cert-key FILE]]</c>: runs a domain node in this process until Ctrl+C. On the first start the owner's
/// password comes from <c>TESSERA_OWNER_PASSWORD</c> or, on a terminal, a prompt without echo; with neither the node refuses
/// to start. The PostgreSQL connection string may come from <c>TESSERA_DB</c> instead of <c>--db</c>, which other users
/// could read in the process list. With <c>--cert</c> the node serves HTTPS only.
/// </summary>
internal static class NodeCommand
{
    public const string OwnerPasswordVariable = "TESSERA_OWNER_PASSWORD";
    public const string DatabaseVariable = "TESSERA_DB";

    /// <summary>The <c>--cert</c> and <c>--cert-key</c> options shared with <c>tessera network start</c>.</summary>
    public static (Option<string?> Cert, Option<string?> Key) CertificateOptions() =>
        (new Option<string?>("--cert") { Description = $"Serve HTTPS with this certificate: PEM (with --cert-key) or PKCS#12 (password in {CliTls.CertPasswordVariable})." },
         new Option<string?>("--cert-key") { Description = "The PEM private key of --cert." });

    /// <summary>Refuses <c>--cert-key</c> without <c>--cert</c> while parsing.</summary>
    public static void RequireCertWithKey(Command command, Option<string?> cert, Option<string?> key) =>
        command.Validators.Add(r =>
        {
            if (r.GetValue(key) is not null && r.GetValue(cert) is null)
            {
                r.AddError("--cert-key needs --cert.");
            }
        });

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
        var db = new Option<string?>("--db") { Description = $"A PostgreSQL connection string (default: {DatabaseVariable}, else SQLite under --data)." };
        var (cert, certKey) = CertificateOptions();
        var network = CliOptions.Url("--network", "A network gateway URL: register there and send heartbeats with the catalogue.", required: false);
        var publicUrl = CliOptions.Url("--public-url", "The URL the network advertises for this node (default: http://localhost:PORT).", required: false);
        var ownerEmail = CliOptions.Email("--owner-email", "The owner's email, used on the first start to create the owner.", required: false);
        var start = new Command("start", "Run a domain node until Ctrl+C.") { name, port, bind, data, db, network, publicUrl, ownerEmail, cert, certKey };
        RequireCertWithKey(start, cert, certKey);
        start.SetAction((parse, cancellationToken) => CliErrors.RunAsync(() => StartAsync(new NodeStartSettings(
            parse.GetValue(name)!, parse.GetValue(port), parse.GetValue(bind)!, parse.GetValue(data), parse.GetValue(db),
            parse.GetValue(network), parse.GetValue(publicUrl), parse.GetValue(ownerEmail), parse.GetValue(cert), parse.GetValue(certKey)),
            cancellationToken)));
        return new Command("node", "Run a domain node.") { start };
    }

    public static async Task<int> StartAsync(NodeStartSettings settings, CancellationToken cancellationToken)
    {
        var data = Path.GetFullPath(settings.DataDirectory ?? Path.Combine(CliPaths.StateHome(), "nodes", settings.Name));
        var scheme = settings.Certificate is null ? "http" : "https";
        if (settings.Certificate is null && settings.CertificateKey is not null)
        {
            throw new ArgumentException("--cert-key needs --cert.");
        }

        var args = new List<string>
        {
            $"--urls={scheme}://{settings.Bind}:{settings.Port}",
            $"--Tessera:Node:Name={settings.Name}",
            $"--Tessera:Node:DataDirectory={data}",
            "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning",
            "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
        };
        if (settings.Certificate is not null)
        {
            args.AddRange(CliTls.ServerArguments(settings.Certificate, settings.CertificateKey, DateTimeOffset.UtcNow));
        }

        var database = !string.IsNullOrWhiteSpace(settings.Database) ? settings.Database : Environment.GetEnvironmentVariable(DatabaseVariable);
        if (!string.IsNullOrWhiteSpace(database))
        {
            args.Add($"--Tessera:Node:Database={database}");
        }

        if (settings.Network is not null)
        {
            args.Add($"--Tessera:Node:Network={settings.Network}");
            args.Add($"--Tessera:Node:PublicUrl={settings.PublicUrl ?? $"{scheme}://localhost:{settings.Port}/"}");
        }

        string? password = null;
        if (settings.OwnerEmail is not null)
        {
            args.Add($"--Tessera:Node:OwnerEmail={settings.OwnerEmail}");
            password = CliSecrets.Resolve(OwnerPasswordVariable, $"Password for the owner {settings.OwnerEmail} (first start only): ");
        }

        Console.WriteLine($"node {settings.Name}: {scheme}://{settings.Bind}:{settings.Port}, data in {data}"
            + (settings.Network is null ? string.Empty : $", listed on {settings.Network}") + "; Ctrl+C stops it.");
        await NodeHost.RunAsync([.. args], password, cancellationToken).ConfigureAwait(false);
        return 0;
    }
}

/// <summary>What <c>tessera node start</c> was asked to do.</summary>
internal sealed record NodeStartSettings(string Name, int Port, string Bind, string? DataDirectory, string? Database, string? Network,
    string? PublicUrl, string? OwnerEmail, string? Certificate = null, string? CertificateKey = null);
