namespace Tessera.Node.Gateway;

/// <summary>The network gateway's settings (section <c>Tessera:Gateway</c>), validated at start-up.</summary>
internal sealed class GatewayOptions
{
    public const string Section = "Tessera:Gateway";

    /// <summary>The gateway's name, shown in health.</summary>
    public string Name { get; set; } = "tessera-gateway";

    /// <summary>Where the SQLite database lives.</summary>
    public string DataDirectory { get; set; } = "tessera-gateway-data";

    /// <summary>A PostgreSQL connection string; SQLite in <see cref="DataDirectory"/> when empty.</summary>
    public string? Database { get; set; }

    /// <summary>A domain appears in search results for this long after its last heartbeat.</summary>
    public TimeSpan LivenessWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A domain silent for this long is deleted with its catalogue (it must register again).</summary>
    public TimeSpan PurgeAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the sweeper looks for domains to purge.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest JSON request body accepted, in bytes (a full catalogue of 1000 datasets fits in the default).</summary>
    public long MaxJsonBodyBytes { get; set; } = 4 << 20;

    /// <summary>Registrations accepted per client address per minute.</summary>
    public int RegistrationsPerMinute { get; set; } = 10;

    /// <summary>Heartbeats and searches accepted per client address per minute.</summary>
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>The most domains the gateway holds; registration answers 503 beyond it.</summary>
    public int MaxDomains { get; set; } = 10_000;

    /// <summary>Checks the settings; returns the problems found.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 64)
        {
            yield return "Tessera:Gateway:Name must be 1 to 64 characters.";
        }

        if (LivenessWindow < TimeSpan.FromSeconds(1) || LivenessWindow > TimeSpan.FromDays(1))
        {
            yield return "Tessera:Gateway:LivenessWindow must be between 1 second and 1 day.";
        }

        if (PurgeAfter < LivenessWindow)
        {
            yield return "Tessera:Gateway:PurgeAfter must be at least the liveness window.";
        }

        if (SweepInterval < TimeSpan.FromSeconds(1))
        {
            yield return "Tessera:Gateway:SweepInterval must be at least 1 second.";
        }

        if (MaxJsonBodyBytes < 1024)
        {
            yield return "Tessera:Gateway:MaxJsonBodyBytes must be at least 1024.";
        }

        if (RegistrationsPerMinute < 1 || RequestsPerMinute < 1 || MaxDomains < 1)
        {
            yield return "Tessera:Gateway:RegistrationsPerMinute, RequestsPerMinute and MaxDomains must be positive.";
        }
    }
}
