using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Tessera.Mpc.Communication;

namespace Tessera.Mpc.Tests.Communication;

/// <summary>Builds N-party TCP+TLS meshes on loopback in one process.</summary>
internal static class TcpTestMesh
{
    public static readonly X509Certificate2 Authority = MeshCertificates.CreateAuthority("Tessera Test CA");

    public static readonly X509Certificate2 OtherAuthority = MeshCertificates.CreateAuthority("Tessera Other CA");

    private static readonly X509Certificate2[] PartyCertificates =
        [.. Enumerable.Range(0, 4).Select(r => MeshCertificates.CreateParty(Authority, Name(r)))];

    public static string Name(int rank) => $"party{rank}.tessera";

    public static X509Certificate2 Certificate(int rank) => PartyCertificates[rank];

    public static TcpPartyEndpoint[] Endpoints(int parties)
    {
        // Hold every port open until all are chosen so that they differ; a race with another process is unlikely.
        var listeners = Enumerable.Range(0, parties).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var listener in listeners)
        {
            listener.Start();
        }

        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var listener in listeners)
        {
            listener.Stop();
            listener.Dispose();
        }

        return [.. ports.Select((port, rank) => new TcpPartyEndpoint("127.0.0.1", port, Name(rank)))];
    }

    public static TcpCommunicatorOptions Options(TcpPartyEndpoint[] endpoints, int rank, TimeSpan? timeout = null, TimeSpan? connectTimeout = null) => new()
    {
        Parties = endpoints,
        Rank = rank,
        Certificate = Certificate(rank),
        TrustedRoots = [Authority],
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
        ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(10),
    };

    public static async Task<TcpCommunicator[]> ConnectAsync(int parties, TimeSpan? timeout = null)
    {
        var endpoints = Endpoints(parties);
        var tasks = Enumerable.Range(0, parties)
            .Select(rank => Task.Run(() => TcpCommunicator.ConnectAsync(Options(endpoints, rank, timeout))))
            .ToArray();
        return await Task.WhenAll(tasks);
    }

    public static async Task DisposeAllAsync(IEnumerable<TcpCommunicator> communicators)
    {
        foreach (var communicator in communicators)
        {
            await communicator.DisposeAsync();
        }
    }
}
