using System.CommandLine;
using Tessera.Client;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera login --node URL --email EMAIL</c> (password from <c>TESSERA_PASSWORD</c> or a prompt without echo) stores the
/// token for that node in a 0600 file under the CLI home; <c>tessera logout --node URL</c> revokes and forgets it.
/// </summary>
internal static class LoginCommand
{
    public const string PasswordVariable = "TESSERA_PASSWORD";

    public static Command Create()
    {
        var node = CliOptions.NodeUrl();
        var email = CliOptions.Email("--email", "The account's email.", required: true);
        var login = new Command("login", "Log in to a node and remember the token for later commands.") { node, email };
        login.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var uri = CliOptions.ToUri(parse.GetValue(node)!)!;
            var address = parse.GetValue(email)!;
            var password = CliSecrets.Resolve(PasswordVariable, $"Password for {address} on {uri}: ")
                ?? throw new InvalidOperationException($"No password: set {PasswordVariable} or run tessera login in a terminal to be asked for it.");
            using var http = CliTls.ClientHttp();
            using var client = await DomainClient.LoginAsync(uri, address, password, http, cancellationToken).ConfigureAwait(false);
            var credentials = CliCredentials.Default;
            credentials.Save(uri, new StoredLogin(client.User?.Email ?? address, client.ExportToken(), client.ExpiresAt));
            Console.WriteLine($"logged in to {uri} as {client.User?.Email} ({client.User?.Role}); the token expires {client.ExpiresAt:u}.");
            return 0;
        }));
        return login;
    }

    public static Command CreateLogout()
    {
        var node = CliOptions.NodeUrl();
        var logout = new Command("logout", "Revoke the stored token for a node and forget it.") { node };
        logout.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var uri = CliOptions.ToUri(parse.GetValue(node)!)!;
            using (var client = CliSession.Open(parse.GetValue(node)!))
            {
                try
                {
                    await client.LogoutAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (AuthenticationException)
                {
                    // Already expired or revoked: forgetting it is all that is left to do.
                }
            }

            CliCredentials.Default.Remove(uri);
            Console.WriteLine($"logged out of {uri}.");
            return 0;
        }));
        return logout;
    }
}
