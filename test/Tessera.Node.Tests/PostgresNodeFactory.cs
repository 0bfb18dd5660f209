namespace Tessera.Node.Tests;

/// <summary>A node on a fresh database of its own in the test run's private PostgreSQL server (see <see cref="PostgresServer"/>).</summary>
public sealed class PostgresNodeFactory : NodeFactory
{
    /// <summary>Starts the server if this is the first PostgreSQL node of the run, and creates this node's database.</summary>
    public PostgresNodeFactory()
        : base(PostgresServer.CreateDatabase())
    {
    }
}
