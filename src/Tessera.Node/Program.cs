using Microsoft.Extensions.Options;
using Tessera.Node.Hosting;

var app = NodeApplication.Build(args);
var options = app.Services.GetRequiredService<IOptions<NodeOptions>>().Value;
await OwnerBootstrap.PrepareAsync(app.Services, options, Environment.GetEnvironmentVariable(OwnerBootstrap.PasswordVariable), CancellationToken.None)
    .ConfigureAwait(false);
await app.RunAsync().ConfigureAwait(false);

/// <summary>The node's entry point (public so integration tests can host it).</summary>
public partial class Program;
