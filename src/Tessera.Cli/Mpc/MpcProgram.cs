using Tessera.Mpc;
using Tessera.Mpc.Providers;

namespace Tessera.Cli.Mpc;

/// <summary>
/// A computation the CLI runs among parties and a dealer: the parties' side on an <see cref="MpcSession"/>, and the
/// dealer's side, which serves the same public sequence of correlated-randomness requests and learns nothing.
/// </summary>
internal interface IMpcProgram
{
    /// <summary>The computing parties (the dealer is one more rank).</summary>
    int Parties { get; }

    /// <summary>Runs party <paramref name="session"/>.Rank's side and returns what that party may print.</summary>
    Task<IReadOnlyList<string>> RunPartyAsync(MpcSession session, CancellationToken cancellationToken);

    /// <summary>How the dealer learns the requests: on request (the default; no script) or from <see cref="RunDealerAsync"/>'s script.</summary>
    DealerMode Mode => DealerMode.OnRequest;

    /// <summary>Runs the dealer's side: by default, serves what party 0 announces until it is done.</summary>
    Task RunDealerAsync(TrustedDealer dealer, CancellationToken cancellationToken) => dealer.ServeRequestsAsync(cancellationToken);
}
