using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Tessera.Client;
using Tessera.Contracts;
using Tessera.Samples.PrivateStatistics;

namespace Tessera.Cli.Demo;

/// <summary>
/// Use case 1 on loopback: a network gateway and a hospital's node as separate processes (SQLite in a temporary folder),
/// the data owner publishing February's birth records, and the data scientist of samples/01-private-statistics computing
/// the means without seeing a row; the owner approves the request for the means.
/// </summary>
internal static class PrivateStatisticsDemo
{
    private const string OwnerEmail = "owner@hospital.example";
    private const string ScientistEmail = "ds@lab.example";

    public static async Task<PrivateStatisticsResult> RunAsync(ulong? seed, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("tessera-demo-").FullName;
        try
        {
            // Fresh random passwords per run, from the OS CSPRNG; they only travel in child environments and request bodies.
            var ownerPassword = RandomNumberGenerator.GetHexString(32, lowercase: true);
            var scientistPassword = RandomNumberGenerator.GetHexString(32, lowercase: true);
            var environment = new Dictionary<string, string>
            {
                ["TESSERA_HOME"] = folder,
                [Commands.NodeCommand.OwnerPasswordVariable] = ownerPassword,
                ["Tessera__Node__HeartbeatInterval"] = "00:00:01",
            };
            var gatewayUrl = new Uri($"http://127.0.0.1:{FreePort()}/");
            var nodeUrl = new Uri($"http://127.0.0.1:{FreePort()}/");
            Console.WriteLine($"starting a network gateway ({gatewayUrl}) and the hospital's node ({nodeUrl}) as separate processes...");
            using var gateway = await ChildHost.StartAsync(gatewayUrl, environment,
                ["network", "start", "--port", Port(gatewayUrl), "--data", Path.Combine(folder, "gateway")], cancellationToken).ConfigureAwait(false);
            using var node = await ChildHost.StartAsync(nodeUrl, environment,
                ["node", "start", "--name", "st-mary-hospital", "--port", Port(nodeUrl), "--data", Path.Combine(folder, "hospital"),
                 "--owner-email", OwnerEmail, "--network", gatewayUrl.ToString(), "--public-url", nodeUrl.ToString()], cancellationToken).ConfigureAwait(false);

            // The data owner publishes the records, lets two colleagues read them, and invites the data scientist.
            using var owner = await DomainClient.LoginAsync(nodeUrl, OwnerEmail, ownerPassword, cancellationToken).ConfigureAwait(false);
            var colleagues = new List<string>();
            foreach (var colleague in new[] { "midwife@hospital.example", "paediatrician@hospital.example" })
            {
                colleagues.Add(await AddUserAsync(owner, nodeUrl, colleague, Role.DataScientist, RandomNumberGenerator.GetHexString(32), cancellationToken).ConfigureAwait(false));
            }

            var csv = BirthRecords(seed ?? 20260201, rows: 240);
            var dataset = await owner.PublishDatasetAsync(
                new DatasetCreateRequest("births-2026-02", "Births at St Mary's in February 2026: weight (kg) and length (cm) per baby.", DatasetFormat.Csv,
                    DataScientist.Tags, [new DatasetColumn("weight", 0.5, 6), new DatasetColumn("height", 30, 65)], colleagues, MockProvided: false),
                new MemoryStream(Encoding.UTF8.GetBytes(csv)), cancellationToken: cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"the data owner published {dataset.Name} ({dataset.Rows} rows, tags {string.Join(", ", dataset.Tags)}) with a synthesised mock twin.");
            var scientistId = await AddUserAsync(owner, nodeUrl, ScientistEmail, Role.DataScientist, scientistPassword, cancellationToken).ConfigureAwait(false);
            var budget = await owner.SetBudgetAsync(scientistId, dataset.Id, epsilon: 2, cancellationToken: cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"the data owner gave the data scientist a privacy budget of epsilon {budget.Epsilon:G3} on {dataset.Name}.");

            // The data scientist works from the gateway's address alone; the owner approves what she asks for.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var approvals = ApproveAsync(owner, stop.Token);
            var result = await DataScientist.RunAsync(gatewayUrl, ScientistEmail, scientistPassword, null, new PrefixWriter("  data scientist: "),
                TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await approvals.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var (weights, heights) = Columns(csv);
            Console.WriteLine($"check: the node's means equal the true means ({weights.Average():F3} kg, {heights.Average():F2} cm): "
                + (Math.Abs(weights.Average() - result.MeanWeight) < 1e-9 && Math.Abs(heights.Average() - result.MeanHeight) < 1e-9 ? "yes" : "NO"));
            var spent = (await owner.ListBudgetsAsync(dataset.Id, cancellationToken).ConfigureAwait(false)).Single(b => b.UserId == scientistId);
            Console.WriteLine($"the data owner sees the spend: epsilon {spent.EpsilonSpent:G3} of {spent.Epsilon:G3} in {spent.Releases} release(s).");
            return result;
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A child may still hold a file for a moment; the temp folder is cleaned by the system later.
            }
        }
    }

    private static async Task ApproveAsync(DomainClient owner, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var request in await owner.ListRequestsAsync(AccessRequestStatus.Pending, cancellationToken).ConfigureAwait(false))
            {
                Console.WriteLine($"  data owner: request {request.Id}: \"{request.Reason}\": approved (aggregates only).");
                await owner.ApproveRequestAsync(request.Id, "Aggregates over the whole month only", cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<string> AddUserAsync(DomainClient owner, Uri node, string email, Role role, string password, CancellationToken cancellationToken)
    {
        var invitation = await owner.InviteAsync(email, role, cancellationToken).ConfigureAwait(false);
        var user = await DomainClient.RegisterAsync(node, email, password, invitation.Code, null, cancellationToken).ConfigureAwait(false);
        return user.Id;
    }

    /// <summary>Plausible birth records: weight ~ N(3.4, 0.45) kg and length ~ N(50, 2.2) cm, correlated, within the declared bounds.</summary>
    internal static string BirthRecords(ulong seed, int rows)
    {
        var random = new SeededRandomSource(seed);
        var text = new StringBuilder("weight,height\n");
        for (var i = 0; i < rows; i++)
        {
            var z = random.NextGaussian();
            var weight = Math.Clamp(3.4 + (0.45 * z), 0.6, 5.9);
            var height = Math.Clamp(50 + (2.2 * ((0.7 * z) + (0.71 * random.NextGaussian()))), 31, 64);
            text.Append(CultureInfo.InvariantCulture, $"{weight:F3},{height:F1}\n");
        }

        return text.ToString();
    }

    private static (double[] Weights, double[] Heights) Columns(string csv)
    {
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToArray();
        return ([.. rows.Select(r => double.Parse(r[0], CultureInfo.InvariantCulture))], [.. rows.Select(r => double.Parse(r[1], CultureInfo.InvariantCulture))]);
    }

    private static string Port(Uri url) => url.Port.ToString(CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Writes each line to the console with a prefix, so the two roles read apart.</summary>
    private sealed class PrefixWriter(string prefix) : TextWriter
    {
        public override Encoding Encoding => Console.Out.Encoding;

        public override void WriteLine(string? value) => Console.WriteLine(prefix + value);

        public override void Write(char value) => Console.Write(value);
    }
}
