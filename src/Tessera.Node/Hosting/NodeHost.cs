using Microsoft.Extensions.Options;
using Tessera.Node.Gateway;

namespace Tessera.Node.Hosting;

/// <summary>
/// Starts a domain node or, with <c>Tessera:Mode=gateway</c>, a network gateway, and runs it until cancelled. The node's
/// <c>Program</c> and the <c>tessera node start</c> / <c>tessera network start</c> verbs share this entry point.
/// </summary>
public static class NodeHost
{
    /// <summary>Runs a node or gateway configured by <paramref name="args"/>; the owner's password comes from <c>TESSERA_OWNER_PASSWORD</c>.</summary>
    /// <param name="args">Configuration arguments, such as <c>--Tessera:Node:Name=clinic --urls=http://127.0.0.1:5100</c>.</param>
    /// <param name="cancellationToken">Stops the host gracefully.</param>
    /// <returns>A task that completes when the host has stopped.</returns>
    /// <exception cref="InvalidOperationException">The node has no owner and none can be created, or the settings are invalid.</exception>
    public static Task RunAsync(string[] args, CancellationToken cancellationToken = default) =>
        RunAsync(args, Environment.GetEnvironmentVariable(OwnerBootstrap.PasswordVariable), cancellationToken);

    /// <summary>Runs a node or gateway configured by <paramref name="args"/>.</summary>
    /// <param name="args">Configuration arguments, such as <c>--Tessera:Node:Name=clinic --urls=http://127.0.0.1:5100</c>.</param>
    /// <param name="ownerPassword">The owner's password, used only on a node's first start (to create the owner).</param>
    /// <param name="cancellationToken">Stops the host gracefully.</param>
    /// <returns>A task that completes when the host has stopped.</returns>
    /// <exception cref="InvalidOperationException">The node has no owner and none can be created, or the settings are invalid.</exception>
    public static async Task RunAsync(string[] args, string? ownerPassword, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = WebApplication.CreateBuilder(args);
        try
        {
            await RunAsync(builder, ownerPassword, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OptionsValidationException
            || (ex is AggregateException aggregate && aggregate.InnerExceptions.All(e => e is OptionsValidationException)))
        {
            // Say which setting is wrong, not only that one is.
            var problems = GatewayApplication.IsSelected(builder.Configuration)
                ? Bind<GatewayOptions>(builder.Configuration, GatewayOptions.Section).Validate()
                : Bind<NodeOptions>(builder.Configuration, NodeOptions.Section).Validate();
            throw new InvalidOperationException("Invalid settings: " + string.Join(" ", problems), ex);
        }
    }

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }

    private static async Task RunAsync(WebApplicationBuilder builder, string? ownerPassword, CancellationToken cancellationToken)
    {
        if (GatewayApplication.IsSelected(builder.Configuration))
        {
            await using var gateway = GatewayApplication.Build(builder);
            await GatewayApplication.PrepareAsync(gateway.Services, cancellationToken).ConfigureAwait(false);
            await gateway.RunAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var app = NodeApplication.Build(builder);
        var options = app.Services.GetRequiredService<IOptions<NodeOptions>>().Value;
        await OwnerBootstrap.PrepareAsync(app.Services, options, ownerPassword, cancellationToken).ConfigureAwait(false);
        await app.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
