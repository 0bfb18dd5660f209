namespace Tessera.Node.Tests;

/// <summary>The accounts API on SQLite.</summary>
public sealed class SqliteAccountsTests(NodeFactory node) : AccountsTests(node), IClassFixture<NodeFactory>;
