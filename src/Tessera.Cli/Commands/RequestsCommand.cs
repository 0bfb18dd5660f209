using System.CommandLine;
using Tessera.Contracts;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera requests list|approve|deny --node URL ...</c>: the node's access requests (decisions by the owner and admins).</summary>
internal static class RequestsCommand
{
    public static Command Create() => new("requests", "List and decide requests for private values.") { List(), Decide("approve"), Decide("deny") };

    private static Command List()
    {
        var node = CliOptions.NodeUrl();
        var status = new Option<AccessRequestStatus?>("--status") { Description = "Only requests in this state: Pending, Approved or Denied." };
        var command = new Command("list", "List access requests (all for the owner and admins, your own otherwise), oldest first.") { node, status };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            using var client = CliSession.Open(parse.GetValue(node)!);
            var requests = await client.ListRequestsAsync(parse.GetValue(status), cancellationToken).ConfigureAwait(false);
            foreach (var r in requests)
            {
                Console.WriteLine($"{r.Id}  {r.Status,-8}  object {r.ObjectId}  by {r.RequesterId}  {r.CreatedAt:u}  reason: {r.Reason}"
                    + (r.DecisionReason is null ? string.Empty : $"  decision: {r.DecisionReason}"));
            }

            Console.WriteLine($"{requests.Count} request{(requests.Count == 1 ? string.Empty : "s")}.");
            return 0;
        }));
        return command;
    }

    private static Command Decide(string verb)
    {
        var node = CliOptions.NodeUrl();
        var id = new Argument<string>("id") { Description = "The request's id." };
        var reason = new Option<string?>("--reason") { Description = "Why (at most 1000 characters), shown to the requester." };
        reason.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { Length: > 1000 })
            {
                r.AddError("--reason has at most 1000 characters.");
            }
        });
        var command = new Command(verb, $"{(verb == "approve" ? "Approve" : "Deny")} a pending request (final).") { node, id, reason };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            using var client = CliSession.Open(parse.GetValue(node)!);
            var requestId = parse.GetValue(id)!;
            var decided = verb == "approve"
                ? await client.ApproveRequestAsync(requestId, parse.GetValue(reason), cancellationToken).ConfigureAwait(false)
                : await client.DenyRequestAsync(requestId, parse.GetValue(reason), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{decided.Id}: {decided.Status.ToString().ToLowerInvariant()}.");
            return 0;
        }));
        return command;
    }
}
