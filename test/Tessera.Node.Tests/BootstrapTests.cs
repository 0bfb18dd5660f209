using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Tessera.TestUtilities;

namespace Tessera.Node.Tests;

public sealed class BootstrapTests
{
    [Fact]
    public void FirstStart_WithoutOwnerEmail_RefusesToStart()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            b.UseSetting("Tessera:Node:DataDirectory", TestPaths.NewTempDirectory()));
        var ex = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("no owner yet", ex.ToString(), StringComparison.Ordinal);
        Assert.Contains("no default account", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_Invalid_RefuseToStart()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Tessera:Node:DataDirectory", TestPaths.NewTempDirectory());
            b.UseSetting("Tessera:Node:PasswordIterations", "10");
        });
        Assert.ThrowsAny<Exception>(() => factory.CreateClient());
    }
}
