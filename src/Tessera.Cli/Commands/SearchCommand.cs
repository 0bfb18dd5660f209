using System.CommandLine;
using Tessera.Client;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera search --network URL --tag T [--tag T...]</c>: live domains with datasets carrying every tag.</summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var network = CliOptions.Url("--network", "The network gateway's URL.");
        var tags = new Option<string[]>("--tag") { Description = "A tag every result must carry; repeat for several.", Required = true };
        var command = new Command("search", "Find datasets across the network by tag.") { network, tags };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            using var http = CliTls.ClientHttp();
            using var gateway = TesseraNetwork.Connect(CliOptions.ToUri(parse.GetValue(network)!)!, http);
            var domains = await gateway.SearchAsync(parse.GetValue(tags)!, cancellationToken).ConfigureAwait(false);
            foreach (var domain in domains)
            {
                Console.WriteLine($"{domain.Name}  {domain.Url}  (domain {domain.DomainId}, last seen {domain.LastSeen:u})");
                foreach (var d in domain.Datasets)
                {
                    Console.WriteLine($"  {d.Id}  {d.Name}  [{string.Join(", ", d.Tags)}]");
                }
            }

            Console.WriteLine($"{domains.Sum(d => d.Datasets.Count)} datasets on {domains.Count} domains.");
            return 0;
        }));
        return command;
    }
}
