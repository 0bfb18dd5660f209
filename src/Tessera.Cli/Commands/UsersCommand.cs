using System.CommandLine;
using Tessera.Client;
using Tessera.Contracts;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera users invite --node URL --email EMAIL --role ROLE</c> (owner and admins) prints a single-use invitation code;
/// <c>tessera register --node URL --email EMAIL [--code CODE]</c> creates the account (password from <c>TESSERA_PASSWORD</c>
/// or a prompt without echo).
/// </summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var node = CliOptions.NodeUrl();
        var email = CliOptions.Email("--email", "The invitee's email.", required: true);
        var role = new Option<Role>("--role") { Description = "DataScientist (default), Guest or Admin.", DefaultValueFactory = _ => Role.DataScientist };
        role.Validators.Add(r =>
        {
            if (CliOptions.TryGet(r, role, out var value) && value == Role.Owner)
            {
                r.AddError("--role cannot be Owner: a node has one owner, created on its first start.");
            }
        });
        var invite = new Command("invite", "Invite someone with a role; prints the single-use code to pass on privately.") { node, email, role };
        invite.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            using var client = CliSession.Open(parse.GetValue(node)!);
            var invitation = await client.InviteAsync(parse.GetValue(email)!, parse.GetValue(role), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"invitation for {parse.GetValue(email)} as {parse.GetValue(role)}, valid until {invitation.ExpiresAt:u}:");
            Console.WriteLine(invitation.Code);
            return 0;
        }));
        return new Command("users", "Manage the node's users.") { invite };
    }

    public static Command CreateRegister()
    {
        var node = CliOptions.NodeUrl();
        var email = CliOptions.Email("--email", "The account's email.", required: true);
        var code = new Option<string?>("--code") { Description = "The invitation code; without one the account waits for the owner's approval as a Guest." };
        var register = new Command("register", $"Create an account on a node (password from {LoginCommand.PasswordVariable} or a prompt).") { node, email, code };
        register.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var uri = CliOptions.ToUri(parse.GetValue(node)!)!;
            var address = parse.GetValue(email)!;
            var password = CliSecrets.Resolve(LoginCommand.PasswordVariable, $"New password for {address} on {uri}: ")
                ?? throw new InvalidOperationException($"No password: set {LoginCommand.PasswordVariable} or run tessera register in a terminal to be asked for it.");
            using var http = CliTls.ClientHttp();
            var user = await DomainClient.RegisterAsync(uri, address, password, parse.GetValue(code), http, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"registered {user.Email} on {uri} as {user.Role} ({user.Status}), user id {user.Id}.");
            return 0;
        }));
        return register;
    }
}
