using System.CommandLine;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera data fetch mnist</c>: downloads, verifies and caches a data set.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("dataset") { Description = "The data set to fetch: mnist." };
        dataset.AcceptOnlyFromAmong("mnist");
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Where to keep the files (default: $TESSERA_HOME/data/<dataset>)." };
        var fetch = new Command("fetch", "Download, verify and cache a data set.") { dataset, cacheDir };
        fetch.SetAction(async (parse, cancellationToken) =>
        {
            var directory = parse.GetValue(cacheDir) ?? CliPaths.DataDirectory("mnist");
            return await CliErrors.RunAsync(async () =>
            {
                await ConsoleOutput.FetchMnistAsync(directory, cancellationToken).ConfigureAwait(false);
                return 0;
            }).ConfigureAwait(false);
        });
        return new Command("data", "Work with data sets.") { fetch };
    }
}
