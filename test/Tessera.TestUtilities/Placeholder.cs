namespace Tessera.TestUtilities;

/// <summary>Shared helpers for Tessera's test projects.</summary>
public static class TestPaths
{
    /// <summary>A fresh temporary directory for one test.</summary>
    public static string NewTempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "tessera-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
