using System.Diagnostics;
using System.Text;
using Tessera.TestUtilities;

namespace Tessera.Client.Tests;

/// <summary>
/// A gateway and a node started as separate <c>dotnet tessera.dll ...</c> processes on free loopback ports, driven by the CLI's
/// own verbs and by the SDK.
/// </summary>
[Trait("Category", "Slow")]
public sealed class CliProcessTests : IDisposable
{
    private const string OwnerEmail = "owner@clinic.example";
    private const string OwnerPassword = "correct horse battery staple";

    private readonly string _home = TestPaths.NewTempDirectory();
    private readonly List<(Process Process, StringBuilder Output)> _hosts = [];

    [Fact]
    public async Task NodeAndNetworkStart_AsProcesses_SearchLoginPublishAndListWork()
    {
        var gatewayUrl = new Uri($"http://127.0.0.1:{LiveNetwork.FreePort()}/");
        var nodeUrl = new Uri($"http://127.0.0.1:{LiveNetwork.FreePort()}/");
        StartHost("network", "start", "--port", gatewayUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--data", Path.Combine(_home, "gateway"));
        await WaitForHealthAsync(gatewayUrl);
        StartHost("node", "start", "--name", "process-clinic", "--port", nodeUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--data", Path.Combine(_home, "node"), "--network", gatewayUrl.ToString(), "--public-url", nodeUrl.ToString(),
            "--owner-email", OwnerEmail);
        await WaitForHealthAsync(nodeUrl);

        var login = await RunCliAsync("login", "--node", nodeUrl.ToString(), "--email", OwnerEmail);
        Assert.True(login.ExitCode == 0, login.Error);
        var credentials = Path.Combine(_home, "credentials.json");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(credentials));
        }

        var csv = Path.Combine(_home, "births.csv");
        await File.WriteAllTextAsync(csv, SdkTestData.Csv);
        var publish = await RunCliAsync("dataset", "publish", "--node", nodeUrl.ToString(), "--name", "births", "--file", csv,
            "--column", "age:0:120", "--column", "weight:0.5:6", "--tag", "births", "--tag", "obstetrics");
        Assert.True(publish.ExitCode == 0, publish.Error);
        Assert.StartsWith("published ", publish.Output, StringComparison.Ordinal);

        var list = await RunCliAsync("dataset", "list", "--node", nodeUrl.ToString());
        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Contains("births", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("3.217", list.Output, StringComparison.Ordinal);

        using var network = TesseraNetwork.Connect(gatewayUrl);
        IReadOnlyList<NetworkDomain> found = [];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (found.Count == 0 && DateTime.UtcNow < deadline)
        {
            found = await network.SearchAsync("obstetrics", "births");
            await Task.Delay(found.Count == 0 ? 200 : 0);
        }

        var domain = Assert.Single(found);
        Assert.Equal("process-clinic", domain.Name);
        Assert.Equal(nodeUrl, domain.Url);
        using var client = await DomainClient.LoginAsync(domain.Url, OwnerEmail, OwnerPassword);
        var dataset = Assert.Single(await client.ListDatasetsAsync("obstetrics"));
        Assert.Equal(domain.Datasets[0].Id, dataset.Id);

        var search = await RunCliAsync("search", "--network", gatewayUrl.ToString(), "--tag", "births");
        Assert.True(search.ExitCode == 0, search.Error);
        Assert.Contains(dataset.Id, search.Output, StringComparison.Ordinal);

        var audit = await RunCliAsync("audit", "--node", nodeUrl.ToString(), "--limit", "20");
        Assert.True(audit.ExitCode == 0, audit.Error);
        Assert.Contains("dataset.create", audit.Output, StringComparison.Ordinal);
        // Use case: a data scientist's mean is private until the owner approves the request with the CLI.
        using var scientist = await LiveNetwork.AddUserAsync(client, Contracts.Role.DataScientist, "ds@lab.example");
        var mean = scientist.Dataset(dataset.Id)["weight"].Mean();
        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => mean.GetAsync());
        Assert.Contains("/api/v1/requests", denied.HowToAsk, StringComparison.Ordinal);
        var request = await mean.RequestAccessAsync("birth weight study");
        var pending = await RunCliAsync("requests", "list", "--node", nodeUrl.ToString(), "--status", "Pending");
        Assert.True(pending.ExitCode == 0, pending.Error);
        Assert.Contains(request.Id, pending.Output, StringComparison.Ordinal);
        var approve = await RunCliAsync("requests", "approve", "--node", nodeUrl.ToString(), request.Id, "--reason", "aggregate only");
        Assert.True(approve.ExitCode == 0, approve.Error);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(Contracts.AccessRequestStatus.Approved, (await scientist.WaitForDecisionAsync(request.Id, TimeSpan.FromMilliseconds(100), wait.Token)).Status);
        Assert.Equal((3.217 + 2.981 + 4.163) / 3, (await mean.GetAsync()).ToArray<double>()[0], 1e-9);

        var token = client.ExportToken();
        foreach (var host in _hosts)
        {
            Assert.DoesNotContain(token, host.Output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UseCase1_ThreeProcesses_GatewayNodeAndDataScientist_OnlyTheApprovedMeansLeaveTheNode()
    {
        var gatewayUrl = new Uri($"http://127.0.0.1:{LiveNetwork.FreePort()}/");
        var nodeUrl = new Uri($"http://127.0.0.1:{LiveNetwork.FreePort()}/");
        StartHost("network", "start", "--port", gatewayUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--data", Path.Combine(_home, "uc1-gateway"));
        await WaitForHealthAsync(gatewayUrl);
        StartHost("node", "start", "--name", "st-mary-hospital", "--port", nodeUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--data", Path.Combine(_home, "uc1-node"), "--network", gatewayUrl.ToString(), "--public-url", nodeUrl.ToString(), "--owner-email", OwnerEmail);
        await WaitForHealthAsync(nodeUrl);

        // The owner's part, with CLI verbs: publish for a named colleague, invite the data scientist.
        Assert.Equal(0, (await RunCliAsync("login", "--node", nodeUrl.ToString(), "--email", OwnerEmail)).ExitCode);
        var colleagueCode = (await RunCliAsync("users", "invite", "--node", nodeUrl.ToString(), "--email", "midwife@hospital.example")).Output.Trim().Split('\n')[^1];
        var colleague = await RunCliAsync("register", "--node", nodeUrl.ToString(), "--email", "midwife@hospital.example", "--code", colleagueCode);
        Assert.True(colleague.ExitCode == 0, colleague.Error);
        var colleagueId = System.Text.RegularExpressions.Regex.Match(colleague.Output, "user id ([0-9a-f]{32})").Groups[1].Value;
        var csv = Path.Combine(_home, "births-uc1.csv");
        var rows = Cli.Demo.PrivateStatisticsDemo.BirthRecords(7, 60);
        await File.WriteAllTextAsync(csv, rows);
        var publish = await RunCliAsync("dataset", "publish", "--node", nodeUrl.ToString(), "--name", "births-2026-02", "--file", csv,
            "--column", "weight:0.5:6", "--column", "height:30:65", "--tag", "birth-records", "--tag", "february", "--reader", colleagueId);
        Assert.True(publish.ExitCode == 0, publish.Error);
        var code = (await RunCliAsync("users", "invite", "--node", nodeUrl.ToString(), "--email", "ds@lab.example")).Output.Trim().Split('\n')[^1];
        var registered = await RunCliAsync("register", "--node", nodeUrl.ToString(), "--email", "ds@lab.example", "--code", code);
        Assert.True(registered.ExitCode == 0, registered.Error);
        var scientistId = System.Text.RegularExpressions.Regex.Match(registered.Output, "user id ([0-9a-f]{32})").Groups[1].Value;
        var datasetId = System.Text.RegularExpressions.Regex.Match(publish.Output, "published ([0-9a-f]{32})").Groups[1].Value;
        var budget = await RunCliAsync("budget", "set", "--node", nodeUrl.ToString(), "--user", scientistId, "--dataset", datasetId, "--epsilon", "1.5");
        Assert.True(budget.ExitCode == 0, budget.Error);

        // The data scientist: the sample program, a third process that knows only the gateway.
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "private-statistics.dll"), "--network", gatewayUrl.ToString(), "--email", "ds@lab.example", "--timeout", "90" })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["TESSERA_PASSWORD"] = OwnerPassword; // StartInfo registers every CLI account with this password
        using var scientist = Process.Start(info)!;
        var output = scientist.StandardOutput.ReadToEndAsync();
        var error = scientist.StandardError.ReadToEndAsync();

        // The owner approves the request when it arrives.
        string? requestId = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (requestId is null && DateTime.UtcNow < deadline && !scientist.HasExited)
        {
            var pending = await RunCliAsync("requests", "list", "--node", nodeUrl.ToString(), "--status", "Pending");
            requestId = pending.Output.Split('\n').FirstOrDefault(l => l.Contains("Pending", StringComparison.Ordinal))?.Split(' ')[0];
            await Task.Delay(requestId is null ? 300 : 0);
        }

        Assert.NotNull(requestId);
        Assert.Equal(0, (await RunCliAsync("requests", "approve", "--node", nodeUrl.ToString(), requestId!, "--reason", "aggregates only")).ExitCode);
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            await scientist.WaitForExitAsync(wait.Token);
        }

        var text = await output;
        Assert.True(scientist.ExitCode == 0, text + await error);
        Assert.Contains("found on the network: st-mary-hospital -> births-2026-02", text, StringComparison.Ordinal);
        Assert.Contains("raw weights: access denied.", text, StringComparison.Ordinal);
        Assert.Contains("sum of weights: computed remotely", text, StringComparison.Ordinal);
        Assert.Contains("sum of weights: still private", text, StringComparison.Ordinal);
        Assert.Contains("mean weight under differential privacy (epsilon 1,", text, StringComparison.Ordinal);
        var spent = await RunCliAsync("budget", "list", "--node", nodeUrl.ToString());
        Assert.Contains("epsilon 1 of 1.5 spent", spent.Output, StringComparison.Ordinal);
        var values = rows.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(','))
            .Select(p => (W: double.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), H: double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.Contains($"mean weight: {values.Average(v => v.W):F3} kg, mean length: {values.Average(v => v.H):F2} cm", text, StringComparison.Ordinal);

        // Not a single row reached the data scientist: no real weight appears in anything she printed.
        foreach (var (w, _) in values.Take(20))
        {
            Assert.DoesNotContain(w.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) + ",", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("1000000", "999999.5", "richer: first")]
    [InlineData("-3", "2", "richer: second")]
    [InlineData("42", "42", "richer: equal")]
    public async Task MpcMillionaires_InProcessAndAsSeparateProcesses_PrintOnlyTheVerdict(string first, string second, string verdict)
    {
        var inProcess = await RunCliAsync("mpc", "millionaires", first, second);
        Assert.True(inProcess.ExitCode == 0, inProcess.Error);
        Assert.Equal(verdict, inProcess.Output.Trim().Split('\n')[^1].Trim());

        var processes = await RunCliAsync("mpc", "millionaires", first, second, "--processes");
        Assert.True(processes.ExitCode == 0, processes.Output + processes.Error);
        var lines = processes.Output.Trim().Split('\n').Select(l => l.Trim()).ToArray();
        Assert.Equal(verdict, lines[^1]);

        // Each party prints its own wealth and the verdict, never the other's wealth; the dealer prints no value at all.
        Assert.Contains(lines, l => l.StartsWith("party 0:", StringComparison.Ordinal) && l.Contains($"my wealth is {first}", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("party 0:", StringComparison.Ordinal) && l.Contains(second, StringComparison.Ordinal) && first != second);
        Assert.DoesNotContain(lines, l => l.StartsWith("party 1:", StringComparison.Ordinal) && l.Contains(first, StringComparison.Ordinal) && first != second);
        Assert.DoesNotContain(lines, l => l.StartsWith("dealer:", StringComparison.Ordinal) && (l.Contains(first, StringComparison.Ordinal) || l.Contains(second, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task MpcLogreg_InProcessAndAsSeparateProcesses_RevealsTheModelToAliceOnly()
    {
        var inProcess = await RunCliAsync("mpc", "logreg", "--epochs", "2");
        Assert.True(inProcess.ExitCode == 0, inProcess.Output + inProcess.Error);
        Assert.Matches(@"^accuracy on Alice's 500 patients: 0\.[789][0-9]{2}$", inProcess.Output.Trim().Split('\n')[^1].Trim());

        var processes = await RunCliAsync("mpc", "logreg", "--epochs", "1", "--processes");
        Assert.True(processes.ExitCode == 0, processes.Output + processes.Error);
        var lines = processes.Output.Trim().Split('\n').Select(l => l.Trim()).ToArray();
        Assert.Contains(lines, l => l.StartsWith("party 0: model: bias", StringComparison.Ordinal));
        Assert.Contains("party 1: model: revealed to Alice only", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("party 1:", StringComparison.Ordinal) && l.Contains("weights", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("dealer:", StringComparison.Ordinal) && l.Contains("received nothing", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2")]
    [InlineData("3")]
    public async Task MpcCheck_EachRankItsOwnProcessOverTls_EveryOperationMatchesPlaintext(string parties)
    {
        var check = await RunCliAsync("mpc", "check", "--processes", "--parties", parties);
        Assert.True(check.ExitCode == 0, check.Output + check.Error);
        var lines = check.Output.Split('\n').Select(l => l.Trim()).ToArray();
        var count = int.Parse(parties, System.Globalization.CultureInfo.InvariantCulture);
        for (var rank = 0; rank < count; rank++)
        {
            var mine = lines.Where(l => l.StartsWith($"party {rank}:", StringComparison.Ordinal)).ToArray();
            Assert.Contains(mine, l => l.Contains("mul: ok", StringComparison.Ordinal));
            Assert.Contains(mine, l => l.Contains("conv2d", StringComparison.Ordinal) && l.Contains(": ok", StringComparison.Ordinal));
            Assert.Contains(mine, l => l.Contains("sigmoid [-20, 20]: ok", StringComparison.Ordinal));
            Assert.Contains(mine, l => l.Contains("softmax 8x10 [-8, 8]: ok", StringComparison.Ordinal));
            Assert.Contains(mine, l => l.Contains("max pool 2x2 of 2x3x6x6: ok", StringComparison.Ordinal));
            Assert.Contains(mine, l => l.StartsWith($"party {rank}: gradient of", StringComparison.Ordinal) && l.Contains(": ok", StringComparison.Ordinal));
            Assert.DoesNotContain(mine, l => l.Contains("FAILED", StringComparison.Ordinal));
            Assert.Matches(@"check: [0-9]+ passed, 0 failed$", mine[^1]);
        }

        Assert.Contains(lines, l => l.StartsWith("dealer:", StringComparison.Ordinal) && l.Contains("no values", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MpcTrain_OwnerAliceBobAndDealerAsProcessesOverTls_OnlyTheOwnerLearnsTheModel()
    {
        var train = await RunCliAsync("mpc", "train", "--epochs", "2", "--processes");
        Assert.True(train.ExitCode == 0, train.Output + train.Error);
        var lines = train.Output.Trim().Split('\n').Select(l => l.Trim()).ToArray();
        Assert.Equal(2, lines.Count(l => l.StartsWith("owner (party 0): epoch", StringComparison.Ordinal)));
        Assert.Contains("Alice (party 1): model: revealed to the model owner only", lines);
        Assert.Contains("Bob (party 2): model: revealed to the model owner only", lines);
        Assert.DoesNotContain(lines, l => (l.StartsWith("Alice", StringComparison.Ordinal) || l.StartsWith("Bob", StringComparison.Ordinal))
            && l.Contains("accuracy", StringComparison.Ordinal));
        // Two epochs of SGD on Alice's and Bob's encrypted rows learn the synthetic outcome well above chance (0.5) on
        // patients nobody trained on.
        var accuracy = double.Parse(lines[^1]["model owner: accuracy on 1000 held-out patients: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 0.65, 1.0);
    }

    [Fact]
    public async Task MpcBench_ThreeProcessesOverTls_ReportsEveryOperation()
    {
        var bench = await RunCliAsync("mpc", "bench", "--repeat", "2");
        Assert.True(bench.ExitCode == 0, bench.Output + bench.Error);
        var party0 = bench.Output.Split('\n').Where(l => l.StartsWith("party 0:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(10, party0.Length);
        Assert.Contains("party 0: truncation 1e6 (one opening, mul's floor): ", party0[1], StringComparison.Ordinal);
        Assert.All(party0[..9], l => Assert.Matches(@": median [0-9.]+ s, best [0-9.]+ s of 2 \(limit [0-9.]+ s\), party 0 sent [0-9.]+ MB in [0-9]+ rounds", l));
        Assert.StartsWith("party 0: machine: link ", party0[9], StringComparison.Ordinal);
        Assert.Contains(bench.Output.Split('\n'), l => l.StartsWith("dealer:", StringComparison.Ordinal) && l.Contains("kinds and sizes only; no values", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MpcBenchJson_ThreeProcessesOverTls_PrintsOneArrayOfEveryOperation()
    {
        var bench = await RunCliAsync("mpc", "bench", "--json", "--repeat", "1", "--dealer", "scripted");
        Assert.True(bench.ExitCode == 0, bench.Output + bench.Error);
        var figures = Tessera.Cli.Mpc.BenchFigure.ParseJson(bench.Output.Trim());
        Assert.Equal(9, figures.Count);
        Assert.Equal("mul 1e6 (with truncation)", figures[0].Name);
        Assert.Equal("truncation 1e6 (one opening, mul's floor)", figures[1].Name);
        Assert.Equal(8.0, figures[1].MegabytesSent, 3);
        Assert.Equal(1, figures[1].Rounds);
        Assert.All(figures, f => Assert.True(
            f.Seconds > 0 && f.BestSeconds == f.Seconds && f.Repeats == 1 && f.LimitSeconds > 0 && f.MegabytesSent > 0 && f.Rounds > 0, f.ToString()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    public async Task MpcBench_RepeatOutOfRange_FailsNamingTheOption(string repeat)
    {
        var bench = await RunCliAsync("mpc", "bench", "--repeat", repeat);
        Assert.Equal(1, bench.ExitCode);
        Assert.Contains($"--repeat must be 1 to 100, got {repeat}", bench.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", bench.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MpcParty_BadCertificate_FailsWithOneClearLine()
    {
        var bad = Path.Combine(_home, "bad.pem");
        await File.WriteAllTextAsync(bad, "not a certificate");
        var result = await RunCliAsync("mpc", "party", "--rank", "0", "--endpoints", "127.0.0.1:5001:a,127.0.0.1:5002:b,127.0.0.1:5003:c",
            "--cert", bad, "--key", bad, "--ca", bad, "--program", "millionaires", "--wealth", "3");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("PEM", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeProcessKilledMidUpload_RestartsWithEarlierDatasetsIntact_AndNoHalfDataset()
    {
        var nodeUrl = new Uri($"http://127.0.0.1:{LiveNetwork.FreePort()}/");
        string[] start = ["node", "start", "--name", "crash-clinic", "--port", nodeUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--data", Path.Combine(_home, "crash-node"), "--owner-email", OwnerEmail];
        StartHost(start);
        await WaitForHealthAsync(nodeUrl);
        string earlierId, halfId;
        using (var owner = await DomainClient.LoginAsync(nodeUrl, OwnerEmail, OwnerPassword))
        {
            earlierId = (await owner.PublishDatasetAsync(SdkTestData.CsvRequest("earlier", "crash"), SdkTestData.CsvStream())).Id;
            halfId = (await owner.CreateDatasetAsync(SdkTestData.CsvRequest("half", "crash"))).Dataset.Id;

            // The second upload streams slowly; the node process is killed (SIGKILL) while the body is still arriving.
            using var stop = new CancellationTokenSource();
            var upload = owner.UploadContentAsync(halfId, new SlowCsvStream(stop.Token), "crash-upload", stop.Token);
            await Task.Delay(1500);
            Assert.False(upload.IsCompleted, "the upload should still be streaming when the node is killed");
            var killed = _hosts[^1].Process;
            _hosts.RemoveAt(_hosts.Count - 1);
            killed.Kill(entireProcessTree: true);
            await killed.WaitForExitAsync();
            killed.Dispose();
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => upload);
        }

        StartHost(start);
        await WaitForHealthAsync(nodeUrl);
        using var again = await DomainClient.LoginAsync(nodeUrl, OwnerEmail, OwnerPassword);
        var listed = await again.ListDatasetsAsync();
        Assert.Contains(listed, d => d.Id == earlierId);
        Assert.DoesNotContain(listed, d => d.Id == halfId);
        var mean = await again.Dataset(earlierId)["weight"].Mean().GetAsync();
        Assert.Equal((3.217 + 2.981 + 4.163) / 3, mean.ToArray<double>()[0], 9);
    }

    /// <summary>A CSV body that sends its header and a few rows, then trickles rows until cancelled (never ends by itself).</summary>
    private sealed class SlowCsvStream(CancellationToken stop) : Stream
    {
        private bool _headerSent;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var text = _headerSent ? "30,3.1\n" : "age,weight\n31,3.2\n";
            _headerSent = true;
            await Task.Delay(50, CancellationTokenSource.CreateLinkedTokenSource(stop, cancellationToken).Token);
            var bytes = Encoding.UTF8.GetBytes(text);
            bytes.CopyTo(buffer);
            return bytes.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task NodeStart_NoOwnerPassword_RefusesWithTheNodesMessage()
    {
        var result = await RunCliAsync(withOwnerPassword: false, "node", "start", "--name", "no-owner", "--port",
            LiveNetwork.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", Path.Combine(_home, "empty"),
            "--owner-email", OwnerEmail);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("TESSERA_OWNER_PASSWORD", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatasetList_NotLoggedIn_FailsWithHowToLogIn()
    {
        var result = await RunCliAsync("dataset", "list", "--node", "http://127.0.0.1:9/");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("tessera login", result.Error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var (process, _) in _hosts)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }

            process.Dispose();
        }
    }

    private ProcessStartInfo StartInfo(bool withOwnerPassword, string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tessera.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["TESSERA_HOME"] = _home;
        info.Environment["TESSERA_PASSWORD"] = OwnerPassword;
        info.Environment.Remove("TESSERA_OWNER_PASSWORD");
        if (withOwnerPassword)
        {
            info.Environment["TESSERA_OWNER_PASSWORD"] = OwnerPassword;
        }

        info.Environment["Tessera__Node__PasswordIterations"] = "1000";
        info.Environment["Tessera__Node__HeartbeatInterval"] = "00:00:00.5";
        return info;
    }

    private void StartHost(params string[] args)
    {
        var process = Process.Start(StartInfo(withOwnerPassword: true, args))!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        _hosts.Add((process, output));
    }

    private Task<(int ExitCode, string Output, string Error)> RunCliAsync(params string[] args) => RunCliAsync(true, args);

    private async Task<(int ExitCode, string Output, string Error)> RunCliAsync(bool withOwnerPassword, params string[] args)
    {
        using var process = Process.Start(StartInfo(withOwnerPassword, args))!;
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private async Task WaitForHealthAsync(Uri baseUrl)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_hosts.Any(h => h.Process.HasExited))
            {
                throw new InvalidOperationException("A host process exited: " + string.Join("\n---\n", _hosts.Select(h => h.Output.ToString())));
            }

            try
            {
                using var response = await http.GetAsync(new Uri(baseUrl, "/health"));
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

            await Task.Delay(200);
        }

        throw new TimeoutException($"{baseUrl} did not answer /health within 90 s.");
    }
}
