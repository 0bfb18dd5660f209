using Npgsql;

namespace Tessera.Node.Tests;

/// <summary>The accounts API on PostgreSQL (a private server started for the run: slow tier).</summary>
[Trait("Category", "Slow")]
public sealed class PostgresAccountsTests(PostgresNodeFactory node) : AccountsTests(node), IClassFixture<PostgresNodeFactory>
{
    private readonly PostgresNodeFactory _node = node;

    [Fact]
    public async Task Migration_OnPostgres_CreatesTimestamptzColumns()
    {
        _node.CreateClient().Dispose();
        await using var connection = new NpgsqlConnection(_node.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT table_name || '.' || column_name || ':' || data_type FROM information_schema.columns "
            + "WHERE table_schema = 'public' AND column_name IN ('CreatedAt', 'ExpiresAt', 'At') ORDER BY 1", connection);
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }

        // Every time column of every migration is timestamptz; the accounts tables are there for sure.
        Assert.All(columns, c => Assert.EndsWith(":timestamp with time zone", c, StringComparison.Ordinal));
        Assert.Subset(columns.ToHashSet(),
            new HashSet<string>
            {
                "audit.At:timestamp with time zone", "invitations.ExpiresAt:timestamp with time zone",
                "tokens.ExpiresAt:timestamp with time zone", "users.CreatedAt:timestamp with time zone",
            });
    }
}
