using System.Text.Json;

namespace Tessera.Cli;

/// <summary>
/// Tokens from <c>tessera login</c>, keyed by node URL, in <c>credentials.json</c> under the CLI home, readable and
/// writable by the user only (0600 on Unix). Never printed.
/// </summary>
internal sealed class CliCredentials(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static CliCredentials Default => new(Path.Combine(CliPaths.Home(), "credentials.json"));

    public string FilePath { get; } = path;

    /// <summary>The key for a node: scheme, lower-case host, port and path without a trailing slash.</summary>
    public static string Key(Uri node) =>
        $"{node.Scheme}://{node.IdnHost.ToLowerInvariant()}:{node.Port}{node.AbsolutePath.TrimEnd('/')}";

    public StoredLogin? Load(Uri node) => ReadAll().GetValueOrDefault(Key(node));

    public void Save(Uri node, StoredLogin login)
    {
        var all = ReadAll();
        all[Key(node)] = login;
        Write(all);
    }

    public bool Remove(Uri node)
    {
        var all = ReadAll();
        if (!all.Remove(Key(node)))
        {
            return false;
        }

        Write(all);
        return true;
    }

    private Dictionary<string, StoredLogin> ReadAll()
    {
        if (!File.Exists(FilePath))
        {
            return new(StringComparer.Ordinal);
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, StoredLogin>>(File.ReadAllText(FilePath), Json) ?? new(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"The credentials file {FilePath} is not valid JSON; delete it and log in again.");
        }
    }

    private void Write(Dictionary<string, StoredLogin> all)
    {
        var directory = Path.GetDirectoryName(FilePath)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var temporary = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, all, Json);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }
}
