namespace Tessera.Node.Hosting;

/// <summary>The node's settings (section <c>Tessera:Node</c>), validated at start-up.</summary>
internal sealed class NodeOptions
{
    public const string Section = "Tessera:Node";

    /// <summary>The node's name, shown in health and to the network.</summary>
    public string Name { get; set; } = "tessera-node";

    /// <summary>Where the SQLite database and blobs live.</summary>
    public string DataDirectory { get; set; } = "tessera-data";

    /// <summary>A PostgreSQL connection string; SQLite in <see cref="DataDirectory"/> when empty.</summary>
    public string? Database { get; set; }

    /// <summary>The owner's email, used on first start only.</summary>
    public string? OwnerEmail { get; set; }

    /// <summary>How long a bearer token lives.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long an invitation code lives.</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>PBKDF2 iterations for new password hashes (OWASP 2023: 600,000 for SHA-256).</summary>
    public int PasswordIterations { get; set; } = 600_000;

    /// <summary>The largest JSON request body accepted, in bytes.</summary>
    public long MaxJsonBodyBytes { get; set; } = 1 << 20;

    /// <summary>The largest dataset file accepted in one upload, in bytes (enforced while the body streams to disk).</summary>
    public long MaxUploadBytes { get; set; } = 1L << 30;

    /// <summary>The network gateway's base URL to register with and send heartbeats to; none when empty (the node stays unlisted).</summary>
    public string? Network { get; set; }

    /// <summary>The URL other parties reach this node at, advertised to the network; required with <see cref="Network"/>.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>How often the node sends the network a heartbeat with its catalogue.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Checks the settings; returns the problems found.</summary>
    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrWhiteSpace(Network))
        {
            if (!IsHttpUrl(Network))
            {
                yield return "Tessera:Node:Network must be an absolute http or https URL.";
            }

            if (string.IsNullOrWhiteSpace(PublicUrl) || !IsHttpUrl(PublicUrl))
            {
                yield return "Tessera:Node:PublicUrl must be the absolute http or https URL the network advertises for this node.";
            }

            if (HeartbeatInterval < TimeSpan.FromMilliseconds(100) || HeartbeatInterval > TimeSpan.FromHours(1))
            {
                yield return "Tessera:Node:HeartbeatInterval must be between 100 milliseconds and 1 hour.";
            }
        }

        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 64)
        {
            yield return "Tessera:Node:Name must be 1 to 64 characters.";
        }

        if (TokenLifetime <= TimeSpan.Zero || TokenLifetime > TimeSpan.FromDays(30))
        {
            yield return "Tessera:Node:TokenLifetime must be between 0 and 30 days.";
        }

        if (PasswordIterations < 1000)
        {
            yield return "Tessera:Node:PasswordIterations must be at least 1000.";
        }

        if (MaxJsonBodyBytes < 1024)
        {
            yield return "Tessera:Node:MaxJsonBodyBytes must be at least 1024.";
        }

        if (MaxUploadBytes < 1024)
        {
            yield return "Tessera:Node:MaxUploadBytes must be at least 1024.";
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
