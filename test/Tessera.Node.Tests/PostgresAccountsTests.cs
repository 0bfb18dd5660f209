namespace Tessera.Node.Tests;

/// <summary>The accounts API on PostgreSQL (a private server started for the run: slow tier).</summary>
[Trait("Category", "Slow")]
public sealed class PostgresAccountsTests(PostgresNodeFactory node) : AccountsTests(node), IClassFixture<PostgresNodeFactory>;
