using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tessera.Mpc.Communication;

namespace Tessera.Cli.Mpc;

/// <summary>
/// Starts every rank of a session as its own <c>tessera mpc party</c> process on loopback, with a throwaway CA and
/// per-rank certificates in a private temporary folder (deleted afterwards), and collects what each process printed.
/// </summary>
internal static class LocalMesh
{
    public static async Task<IReadOnlyList<(int ExitCode, string Output, string Error)>> RunAsync(
        int ranks, Func<int, IEnumerable<string>> programArguments, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("tessera-mpc-").FullName;
        var processes = new List<Process>();
        try
        {
            using var authority = MeshCertificates.CreateAuthority("tessera-mpc-local");
            var caPath = Path.Combine(folder, "ca.pem");
            MeshCertificates.WritePem(authority, caPath, null);
            var names = Enumerable.Range(0, ranks).Select(r => r == ranks - 1 ? "dealer.tessera.local" : $"party{r}.tessera.local").ToArray();
            var endpoints = string.Join(',', names.Select(n => $"127.0.0.1:{FreePort()}:{n}"));
            for (var rank = 0; rank < ranks; rank++)
            {
                using var certificate = MeshCertificates.CreateParty(authority, names[rank]);
                var (cert, key) = (Path.Combine(folder, $"rank{rank}.pem"), Path.Combine(folder, $"rank{rank}.key"));
                MeshCertificates.WritePem(certificate, cert, key);
                var info = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
                {
                    RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                };
                if (Path.GetFileNameWithoutExtension(info.FileName) == "dotnet")
                {
                    info.ArgumentList.Add(typeof(LocalMesh).Assembly.Location);
                }

                foreach (var a in new[] { "mpc", "party", "--rank", rank.ToString(CultureInfo.InvariantCulture), "--endpoints", endpoints, "--cert", cert, "--key", key, "--ca", caPath }
                    .Concat(programArguments(rank)))
                {
                    info.ArgumentList.Add(a);
                }

                processes.Add(Process.Start(info) ?? throw new InvalidOperationException($"Could not start rank {rank}."));
            }

            var results = processes.Select(async p =>
            {
                var output = p.StandardOutput.ReadToEndAsync(cancellationToken);
                var error = p.StandardError.ReadToEndAsync(cancellationToken);
                await p.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                return (p.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
            }).ToArray();
            return await Task.WhenAll(results).ConfigureAwait(false);
        }
        finally
        {
            foreach (var p in processes)
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                }

                p.Dispose();
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
