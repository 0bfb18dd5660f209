using Tessera.Node.Hosting;
using Tessera.TestUtilities;

namespace Tessera.Client.Tests;

/// <summary>The node's network listing across restarts of the node and of the gateway.</summary>
public sealed class NetworkListingTests
{
    [Fact]
    public async Task NodeRestart_KeepsItsRegistration_GatewayReset_NodeRegistersAgain()
    {
        var gatewayUrl = new Uri($"http://127.0.0.1:{LiveNetwork.FreePort()}/");
        var nodeUrl = new Uri($"http://127.0.0.1:{LiveNetwork.FreePort()}/");
        var nodeData = TestPaths.NewTempDirectory();
        using var network = TesseraNetwork.Connect(gatewayUrl);

        await using (var gateway = await Host.StartAsync(gatewayUrl, GatewayArgs(gatewayUrl, TestPaths.NewTempDirectory())))
        {
            string firstId;
            await using (var node = await Host.StartAsync(nodeUrl, NodeArgs(nodeUrl, gatewayUrl, nodeData)))
            {
                using var owner = await DomainClient.LoginAsync(nodeUrl, LiveNetwork.OwnerEmail, LiveNetwork.OwnerPassword);
                await owner.PublishDatasetAsync(SdkTestData.CsvRequest("listed", "listing"), SdkTestData.CsvStream());
                firstId = (await FindAsync(network, "listing")).DomainId;
            }

            await using (var node = await Host.StartAsync(nodeUrl, NodeArgs(nodeUrl, gatewayUrl, nodeData)))
            {
                await Task.Delay(500); // a few heartbeats
                var domain = await FindAsync(network, "listing");
                Assert.Equal(firstId, domain.DomainId);
            }
        }

        // A fresh gateway on the same address does not know the domain: the node's next heartbeat gets 404 and it registers again.
        await using (var gateway = await Host.StartAsync(gatewayUrl, GatewayArgs(gatewayUrl, TestPaths.NewTempDirectory())))
        await using (var node = await Host.StartAsync(nodeUrl, NodeArgs(nodeUrl, gatewayUrl, nodeData)))
        {
            var domain = await FindAsync(network, "listing");
            Assert.Equal(nodeUrl, domain.Url);
        }
    }

    private static async Task<NetworkDomain> FindAsync(TesseraNetwork network, string tag)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var found = await network.SearchAsync(tag);
            if (found.Count > 0 || DateTime.UtcNow > deadline)
            {
                return Assert.Single(found);
            }

            await Task.Delay(100);
        }
    }

    private static string[] GatewayArgs(Uri url, string data) =>
        ["--Tessera:Mode=gateway", $"--urls={url}", $"--Tessera:Gateway:DataDirectory={data}", "--Logging:LogLevel:Default=Warning"];

    private static string[] NodeArgs(Uri url, Uri gateway, string data) =>
    [
        $"--urls={url}", $"--Tessera:Node:DataDirectory={data}", "--Tessera:Node:Name=listed-clinic", $"--Tessera:Node:OwnerEmail={LiveNetwork.OwnerEmail}",
        "--Tessera:Node:PasswordIterations=1000", $"--Tessera:Node:Network={gateway}", $"--Tessera:Node:PublicUrl={url}",
        "--Tessera:Node:HeartbeatInterval=00:00:00.1", "--Logging:LogLevel:Default=Error",
    ];

    private sealed class Host : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _run = Task.CompletedTask;

        public static async Task<Host> StartAsync(Uri url, string[] args)
        {
            var host = new Host();
            host._run = NodeHost.RunAsync(args, LiveNetwork.OwnerPassword, host._stop.Token);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (DateTime.UtcNow < deadline && !host._run.IsCompleted)
            {
                try
                {
                    using var response = await http.GetAsync(new Uri(url, "/health"));
                    if (response.IsSuccessStatusCode)
                    {
                        return host;
                    }
                }
                catch (HttpRequestException)
                {
                }

                await Task.Delay(50);
            }

            await host._run;
            throw new TimeoutException($"{url} did not start.");
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
            _stop.Dispose();
        }
    }
}
