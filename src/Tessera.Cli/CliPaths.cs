namespace Tessera.Cli;

/// <summary>Where the CLI keeps fetched data sets: TESSERA_HOME, else XDG_CACHE_HOME/tessera, else ~/.cache/tessera.</summary>
internal static class CliPaths
{
    public static string Home()
    {
        var home = Environment.GetEnvironmentVariable("TESSERA_HOME");
        if (!string.IsNullOrWhiteSpace(home))
        {
            return Path.GetFullPath(home);
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var baseDir = !string.IsNullOrWhiteSpace(xdg) ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(baseDir, "tessera");
    }

    public static string DataDirectory(string dataset) => Path.Combine(Home(), "data", dataset);

    /// <summary>
    /// Where nodes and gateways started by the CLI keep their databases: TESSERA_HOME, else XDG_DATA_HOME/tessera, else
    /// ~/.local/share/tessera (not the cache: deleting a node's database loses its owner, datasets and audit log).
    /// </summary>
    public static string StateHome()
    {
        var home = Environment.GetEnvironmentVariable("TESSERA_HOME");
        if (!string.IsNullOrWhiteSpace(home))
        {
            return Path.GetFullPath(home);
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var baseDir = !string.IsNullOrWhiteSpace(xdg) ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(baseDir, "tessera");
    }
}
