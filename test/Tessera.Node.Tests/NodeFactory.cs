using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Tessera.Contracts;
using Tessera.TestUtilities;

namespace Tessera.Node.Tests;

/// <summary>A node on SQLite in a fresh temporary folder, with an owner, hosted in process.</summary>
public sealed class NodeFactory : WebApplicationFactory<Program>
{
    public const string OwnerEmail = "owner@hospital.example";
    public const string OwnerPassword = "correct horse battery staple";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public NodeFactory()
    {
        DataDirectory = TestPaths.NewTempDirectory();
        Environment.SetEnvironmentVariable("TESSERA_OWNER_PASSWORD", OwnerPassword);
    }

    public string DataDirectory { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Tessera:Node:DataDirectory", DataDirectory);
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
