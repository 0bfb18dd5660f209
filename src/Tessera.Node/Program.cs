using Tessera.Node.Hosting;

await NodeHost.RunAsync(args).ConfigureAwait(false);

/// <summary>The node's entry point (public so integration tests can host it).</summary>
public partial class Program;
