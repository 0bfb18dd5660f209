using System.Text.Json;

namespace Tessera.Node.Network;

/// <summary>The node's registration with one gateway, kept in a file only its user can read (0600 on Unix).</summary>
internal sealed class RegistrationFile(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The stored registration when it is for <paramref name="gateway"/>; null when there is none or it is unreadable.</summary>
    public NetworkRegistrationState? Load(string gateway)
    {
        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Json);
            return stored is { DomainId: { Length: > 0 } id, Secret: { Length: > 0 } secret } && stored.Gateway == gateway
                ? new NetworkRegistrationState(id, secret)
                : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Save(string gateway, NetworkRegistrationState registration)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, fileOptions))
        {
            JsonSerializer.Serialize(stream, new Stored(gateway, registration.DomainId, registration.Secret), Json);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public void Delete() => File.Delete(path);

    private sealed record Stored(string Gateway, string DomainId, string Secret);
}
