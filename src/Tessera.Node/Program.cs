using Microsoft.Extensions.Options;
using Tessera.Node.Gateway;
using Tessera.Node.Hosting;

var builder = WebApplication.CreateBuilder(args);
if (GatewayApplication.IsSelected(builder.Configuration))
{
    var gateway = GatewayApplication.Build(builder);
    await GatewayApplication.PrepareAsync(gateway.Services, CancellationToken.None).ConfigureAwait(false);
    await gateway.RunAsync().ConfigureAwait(false);
    return;
}

var app = NodeApplication.Build(builder);
var options = app.Services.GetRequiredService<IOptions<NodeOptions>>().Value;
await OwnerBootstrap.PrepareAsync(app.Services, options, Environment.GetEnvironmentVariable(OwnerBootstrap.PasswordVariable), CancellationToken.None)
    .ConfigureAwait(false);
await app.RunAsync().ConfigureAwait(false);

/// <summary>The node's entry point (public so integration tests can host it).</summary>
public partial class Program;
