using Tessera.Cli;
using Tessera.TestUtilities;

namespace Tessera.Client.Tests;

public sealed class CliCredentialsTests
{
    [Fact]
    public void Save_ThenLoad_KeyedByNormalisedNodeUrl_FileIsUserOnly()
    {
        var store = new CliCredentials(Path.Combine(TestPaths.NewTempDirectory(), "home", "credentials.json"));
        store.Save(new Uri("http://Node.Example:5100/"), new StoredLogin("a@b.example", "token-1", null));
        store.Save(new Uri("http://other.example:5100"), new StoredLogin("c@d.example", "token-2", null));

        Assert.Equal("token-1", store.Load(new Uri("http://node.example:5100"))!.Token);
        Assert.Equal("token-2", store.Load(new Uri("http://other.example:5100/"))!.Token);
        Assert.Null(store.Load(new Uri("http://node.example:5101")));
        Assert.DoesNotContain("token-1", store.Load(new Uri("http://node.example:5100"))!.ToString(), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
        }

        Assert.True(store.Remove(new Uri("http://node.example:5100")));
        Assert.Null(store.Load(new Uri("http://node.example:5100")));
        Assert.NotNull(store.Load(new Uri("http://other.example:5100")));
    }

    [Fact]
    public void Load_CorruptFile_ThrowsInvalidDataExceptionNamingTheFile()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "credentials.json");
        File.WriteAllText(path, "{not json");
        var ex = Assert.Throws<InvalidDataException>(() => new CliCredentials(path).Load(new Uri("http://node.example")));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}
