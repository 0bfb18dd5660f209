using System.CommandLine;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera audit --node URL [--limit N]</c>: the newest entries of a node's audit log (owner only).</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var node = CliOptions.NodeUrl();
        var limit = new Option<int>("--limit") { Description = "How many entries (1 to 1000).", DefaultValueFactory = _ => 50 };
        limit.Validators.Add(r =>
        {
            if (CliOptions.TryGet(r, limit, out var v) && v is < 1 or > 1000)
            {
                r.AddError($"--limit must be between 1 and 1000, got {v}.");
            }
        });
        var command = new Command("audit", "Show the node's audit log, newest first (owner only).") { node, limit };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            using var client = CliSession.Open(parse.GetValue(node)!);
            foreach (var e in await client.GetAuditAsync(parse.GetValue(limit), cancellationToken).ConfigureAwait(false))
            {
                Console.WriteLine($"{e.At:u}  {e.Outcome,-7}  {e.Action,-24}  actor {e.ActorId ?? "system"}  {e.Subject}");
            }

            return 0;
        }));
        return command;
    }
}
