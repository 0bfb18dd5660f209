using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using Tessera.Contracts;
using Tessera.TestUtilities;

namespace Tessera.Node.Tests;

/// <summary>
/// A node with an owner, hosted in process: on SQLite in a fresh temporary folder, or (through
/// <see cref="PostgresNodeFactory"/>) on its own database in the test run's private PostgreSQL server.
/// </summary>
public class NodeFactory : WebApplicationFactory<Program>
{
    public const string OwnerEmail = "owner@hospital.example";
    public const string OwnerPassword = "correct horse battery staple";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>A node on SQLite.</summary>
    public NodeFactory()
        : this(database: null)
    {
    }

    /// <summary>A node on the PostgreSQL database <paramref name="database"/> (a connection string), or SQLite when null.</summary>
    protected NodeFactory(string? database)
    {
        DataDirectory = TestPaths.NewTempDirectory();
        Database = database;
        Environment.SetEnvironmentVariable("TESSERA_OWNER_PASSWORD", OwnerPassword);
    }

    /// <summary>The node's data folder (where the SQLite database lives when <see cref="Database"/> is null).</summary>
    public string DataDirectory { get; }

    /// <summary>The PostgreSQL connection string, or null on SQLite.</summary>
    public string? Database { get; }

    /// <summary>Everything the node stored, as text: the SQLite files' bytes, or every PostgreSQL table's rows as JSON.</summary>
    public async Task<string> ReadStoredTextAsync()
    {
        if (Database is null)
        {
            return string.Concat(Directory.GetFiles(DataDirectory, "node.db*").Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))));
        }

        var text = new StringBuilder();
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var rows = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM \"{table}\" t", connection);
            await using var reader = await rows.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                text.AppendLine(reader.GetString(0));
            }
        }

        return text.ToString();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Tessera:Node:DataDirectory", DataDirectory);
        if (Database is not null)
        {
            builder.UseSetting("Tessera:Node:Database", Database);
        }

        builder.UseSetting("Tessera:Node:OwnerEmail", OwnerEmail);
        builder.UseSetting("Tessera:Node:Name", "test-hospital");
        builder.UseSetting("Tessera:Node:PasswordIterations", "1000");
    }

    public async Task<HttpClient> LoginAsync(string email = OwnerEmail, string password = OwnerPassword)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync(ApiRoutes.Login, new LoginRequest(email, password), Json);
        response.EnsureSuccessStatusCode();
        var login = (await response.Content.ReadFromJsonAsync<LoginResponse>(Json))!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.Token);
        return client;
    }

    /// <summary>Invites and registers a user with <paramref name="role"/>, and returns a client logged in as them.</summary>
    public async Task<(HttpClient Client, UserInfo User)> AddUserAsync(Role role, string email)
    {
        var owner = await LoginAsync();
        var invitation = await (await owner.PostAsJsonAsync(ApiRoutes.Invitations, new InvitationRequest(email, role), Json))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<InvitationResponse>(Json);
        var password = "a long password for " + email;
        var created = await (await CreateClient().PostAsJsonAsync(ApiRoutes.Register, new RegisterRequest(email, password, invitation!.Code), Json))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<UserInfo>(Json);
        return (await LoginAsync(email, password), created!);
    }
}
