using Tessera.Samples.PrivateStatistics;

// The data scientist of use case 1, as its own process:
//   dotnet run --project samples/01-private-statistics -- --network http://127.0.0.1:5190 --email ds@lab.example
// with her password in TESSERA_PASSWORD. run.sh beside this file starts the gateway and the hospital's node and plays the owner.
string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

var network = Arg("--network");
var email = Arg("--email");
var password = Environment.GetEnvironmentVariable("TESSERA_PASSWORD");
if (network is null || !Uri.TryCreate(network, UriKind.Absolute, out var gateway) || email is null || string.IsNullOrEmpty(password))
{
    Console.Error.WriteLine("usage: private-statistics --network URL --email EMAIL (password in TESSERA_PASSWORD)");
    return 2;
}

try
{
    var timeout = TimeSpan.FromSeconds(double.TryParse(Arg("--timeout"), out var s) ? s : 300);
    await DataScientist.RunAsync(gateway, email, password, http: null, Console.Out, timeout, CancellationToken.None);
    return 0;
}
catch (Exception ex) when (ex is Tessera.Client.TesseraException or InvalidOperationException or OperationCanceledException)
{
    Console.Error.WriteLine($"private-statistics: {ex.Message}");
    return 1;
}
