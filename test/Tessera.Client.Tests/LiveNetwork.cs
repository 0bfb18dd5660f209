using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Tessera.Contracts;
using Tessera.Node.Hosting;
using Tessera.TestUtilities;

namespace Tessera.Client.Tests;

/// <summary>
/// A network gateway and a domain node listed on it, each on real Kestrel on a free loopback port in this process, with
/// SQLite in fresh temporary folders. The node sends a heartbeat with its catalogue every 200 ms.
/// </summary>
public sealed class LiveNetwork : IAsyncLifetime
{
    public const string OwnerEmail = "owner@clinic.example";
    public const string OwnerPassword = "correct horse battery staple";

    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private Task? _gateway;
    private Task? _node;

    public Uri GatewayUrl { get; } = new($"http://127.0.0.1:{FreePort()}/");

    public Uri NodeUrl { get; } = new($"http://127.0.0.1:{FreePort()}/");

    public string NodeDataDirectory { get; } = TestPaths.NewTempDirectory();

    public async Task InitializeAsync()
    {
        _gateway = NodeHost.RunAsync(
        [
            "--Tessera:Mode=gateway", $"--urls={GatewayUrl}", $"--Tessera:Gateway:DataDirectory={TestPaths.NewTempDirectory()}",
            "--Tessera:Gateway:Name=test-network", "--Logging:LogLevel:Default=Warning",
        ], null, _stop.Token);
        await WaitForHealthAsync(GatewayUrl, _gateway);
        _node = NodeHost.RunAsync(
        [
            $"--urls={NodeUrl}", $"--Tessera:Node:DataDirectory={NodeDataDirectory}", "--Tessera:Node:Name=test-clinic",
            $"--Tessera:Node:OwnerEmail={OwnerEmail}", "--Tessera:Node:PasswordIterations=1000", $"--Tessera:Node:Network={GatewayUrl}",
            $"--Tessera:Node:PublicUrl={NodeUrl}", "--Tessera:Node:HeartbeatInterval=00:00:00.2", "--Logging:LogLevel:Default=Warning",
        ], OwnerPassword, _stop.Token);
        await WaitForHealthAsync(NodeUrl, _node);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var host in new[] { _node, _gateway }.OfType<Task>())
        {
            await host.WaitAsync(TimeSpan.FromSeconds(30));
        }

        _probe.Dispose();
        _stop.Dispose();
    }

    public Task<DomainClient> LoginOwnerAsync() => DomainClient.LoginAsync(NodeUrl, OwnerEmail, OwnerPassword);

    /// <summary>Invites and registers a user with <paramref name="role"/> through the node's API, and logs them in with the SDK.</summary>
    public async Task<DomainClient> AddUserAsync(Role role, string email)
    {
        using var owner = await LoginOwnerAsync();
        return await AddUserAsync(owner, role, email);
    }

    /// <summary>Has <paramref name="owner"/> invite a user with <paramref name="role"/>, registers them, and logs them in with the SDK.</summary>
    public static async Task<DomainClient> AddUserAsync(DomainClient owner, Role role, string email)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(owner.Domain, ApiRoutes.Invitations))
        {
            Content = JsonContent.Create(new InvitationRequest(email, role), options: TestJson.Options),
        };
        request.Headers.Authorization = new("Bearer", owner.ExportToken());
        var invitation = await (await http.SendAsync(request)).EnsureSuccessStatusCode().Content
            .ReadFromJsonAsync<InvitationResponse>(TestJson.Options);
        var password = "a long password for " + email;
        (await http.PostAsJsonAsync(new Uri(owner.Domain, ApiRoutes.Register), new RegisterRequest(email, password, invitation!.Code), TestJson.Options))
            .EnsureSuccessStatusCode();
        return await DomainClient.LoginAsync(owner.Domain, email, password);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitForHealthAsync(Uri baseUrl, Task host)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (host.IsCompleted)
            {
                await host; // surfaces the start-up failure
                throw new InvalidOperationException($"The host at {baseUrl} stopped during start-up.");
            }

            try
            {
                using var response = await _probe.GetAsync(new Uri(baseUrl, ApiRoutes.Health));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The host at {baseUrl} did not answer {ApiRoutes.Health} within 60 s.");
    }
}
