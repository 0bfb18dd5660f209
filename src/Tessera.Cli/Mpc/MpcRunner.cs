using System.Security.Cryptography.X509Certificates;
using Tessera.Mpc;
using Tessera.Mpc.Communication;
using Tessera.Mpc.Providers;

namespace Tessera.Cli.Mpc;

/// <summary>Runs an <see cref="IMpcProgram"/>'s ranks: all in this process (threads), or one rank here over TCP with TLS.</summary>
internal static class MpcRunner
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Every party and the dealer on its own task over in-process channels; returns each party's lines.</summary>
    public static async Task<IReadOnlyList<IReadOnlyList<string>>> RunInProcessAsync(
        Func<int, IMpcProgram> programOf, int parties, CancellationToken cancellationToken)
    {
        var communicators = InProcessCommunicator.CreateGroup(parties + 1, Timeout);
        try
        {
            var partyTasks = Enumerable.Range(0, parties).Select(rank => Task.Run(() => RunRankAsync(programOf(rank), communicators[rank], parties, cancellationToken), cancellationToken)).ToArray();
            var dealer = Task.Run(() => RunRankAsync(programOf(parties), communicators[parties], parties, cancellationToken), cancellationToken);
            await Task.WhenAll(partyTasks.Append(dealer)).ConfigureAwait(false);
            return [.. partyTasks.Select(t => t.Result)];
        }
        finally
        {
            foreach (var c in communicators)
            {
                await c.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>This process's rank of a session over TCP+TLS; the dealer is the last rank and returns no lines.</summary>
    public static async Task<IReadOnlyList<string>> RunOverTcpAsync(IMpcProgram program, IReadOnlyList<TcpPartyEndpoint> endpoints, int rank,
        X509Certificate2 certificate, X509Certificate2 authority, CancellationToken cancellationToken)
    {
        await using var communicator = await TcpCommunicator.ConnectAsync(endpoints, rank, certificate, [authority], Timeout, Timeout, cancellationToken)
            .ConfigureAwait(false);
        return await RunRankAsync(program, communicator, endpoints.Count - 1, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<string>> RunRankAsync(IMpcProgram program, ICommunicator communicator, int parties, CancellationToken cancellationToken)
    {
        if (communicator.Rank == parties)
        {
            using var dealer = await TrustedDealer.CreateAsync(communicator, CryptoRandomSource.Instance, cancellationToken).ConfigureAwait(false);
            await program.RunDealerAsync(dealer, cancellationToken).ConfigureAwait(false);
            return [];
        }

        await using var session = await MpcSession.CreateAsync(communicator, parties, new DealerCorrelationProvider(program.Mode), CryptoRandomSource.Instance,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return await program.RunPartyAsync(session, cancellationToken).ConfigureAwait(false);
    }
}
