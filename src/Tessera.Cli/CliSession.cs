using Tessera.Client;

namespace Tessera.Cli;

/// <summary>Opens an SDK session to a node with the token <c>tessera login</c> stored for it.</summary>
internal static class CliSession
{
    public static DomainClient Open(string nodeUrl)
    {
        var node = CliOptions.ToUri(nodeUrl) ?? throw new ArgumentException($"--node must be an absolute http or https URL, got '{nodeUrl}'.");
        var login = CliCredentials.Default.Load(node)
            ?? throw new InvalidOperationException($"Not logged in to {node}: run tessera login --node {node} --email EMAIL first.");
        if (login.ExpiresAt is { } expires && expires <= DateTimeOffset.UtcNow)
        {
            throw new InvalidOperationException($"The login to {node} expired at {expires:u}: run tessera login --node {node} --email {login.Email} again.");
        }

        // With TESSERA_CA_CERT the session uses a client trusting that certificate; it lives as long as this short process.
        return DomainClient.FromToken(node, login.Token, CliTls.ClientHttp());
    }
}
