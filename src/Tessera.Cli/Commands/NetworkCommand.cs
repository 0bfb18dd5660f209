using System.CommandLine;
using Tessera.Node.Hosting;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera network start --port PORT [--data DIR] [--db CONNECTION] [--cert FILE [--cert-key FILE]]</c>: runs a network
/// gateway in this process until Ctrl+C (HTTPS only with <c>--cert</c>).
/// </summary>
internal static class NetworkCommand
{
    public static Command Create()
    {
        var port = CliOptions.Port();
        var bind = new Option<string>("--bind") { Description = "The address to listen on (default 127.0.0.1; 0.0.0.0 for all).", DefaultValueFactory = _ => "127.0.0.1" };
        var data = new Option<string?>("--data") { Description = "Where the gateway's SQLite database lives (default: $TESSERA_HOME/network, else ~/.local/share/tessera/network)." };
        var db = new Option<string?>("--db") { Description = $"A PostgreSQL connection string (default: {NodeCommand.DatabaseVariable}, else SQLite under --data)." };
        var (cert, certKey) = NodeCommand.CertificateOptions();
        var name = new Option<string>("--name") { Description = "The gateway's name.", DefaultValueFactory = _ => "tessera-network" };
        var start = new Command("start", "Run a network gateway (the public directory of domains) until Ctrl+C.") { port, bind, data, db, name, cert, certKey };
        NodeCommand.RequireCertWithKey(start, cert, certKey);
        start.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var directory = Path.GetFullPath(parse.GetValue(data) ?? Path.Combine(CliPaths.StateHome(), "network"));
            var certificate = parse.GetValue(cert);
            if (certificate is null && parse.GetValue(certKey) is not null)
            {
                throw new ArgumentException("--cert-key needs --cert.");
            }

            var scheme = certificate is null ? "http" : "https";
            var args = new List<string>
            {
                "--Tessera:Mode=gateway",
                $"--urls={scheme}://{parse.GetValue(bind)}:{parse.GetValue(port)}",
                $"--Tessera:Gateway:DataDirectory={directory}",
                $"--Tessera:Gateway:Name={parse.GetValue(name)}",
                "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning",
                "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
            };
            if (certificate is not null)
            {
                args.AddRange(CliTls.ServerArguments(certificate, parse.GetValue(certKey), DateTimeOffset.UtcNow));
            }

            if ((parse.GetValue(db) ?? Environment.GetEnvironmentVariable(NodeCommand.DatabaseVariable)) is { Length: > 0 } connection)
            {
                args.Add($"--Tessera:Gateway:Database={connection}");
            }

            Console.WriteLine($"network gateway: {scheme}://{parse.GetValue(bind)}:{parse.GetValue(port)}, data in {directory}; Ctrl+C stops it.");
            await NodeHost.RunAsync([.. args], null, cancellationToken).ConfigureAwait(false);
            return 0;
        }));
        return new Command("network", "Run a network gateway.") { start };
    }
}
