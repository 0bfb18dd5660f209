using System.Globalization;
using Tessera.Mpc;
using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;

namespace Tessera.Cli.Mpc;

/// <summary>
/// Yao's millionaires: party 0 holds the first wealth, party 1 the second; on secret shares they compute [first &gt;
/// second] and [first == second] and reveal only those two bits. Each party prints its own wealth and the verdict.
/// </summary>
/// <param name="Wealth">This party's wealth (only the party that owns it has one; null for the other ranks).</param>
internal sealed record MillionairesProgram(double? Wealth) : IMpcProgram
{
    public int Parties => 2;

    public DealerMode Mode => DealerMode.Scripted;

    public async Task<IReadOnlyList<string>> RunPartyAsync(MpcSession session, CancellationToken cancellationToken)
    {
        var mine = session.Rank <= 1 && Wealth is { } w ? Tensor.FromArray(new[] { w }, 1) : null;
        var first = session.Share(0, session.Rank == 0 ? mine : null, 1);
        var second = session.Share(1, session.Rank == 1 ? mine : null, 1);
        var richer = await session.GreaterThanAsync(first, second, cancellationToken).ConfigureAwait(false);
        var equal = await session.EqualAsync(first, second, cancellationToken).ConfigureAwait(false);
        var isRicher = (await session.RevealAsync(richer, cancellationToken).ConfigureAwait(false)).ToArray<double>()[0] == 1;
        var isEqual = (await session.RevealAsync(equal, cancellationToken).ConfigureAwait(false)).ToArray<double>()[0] == 1;
        var who = session.Rank == 0 ? "first" : "second";
        var lines = new List<string>();
        if (mine is not null)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"party {session.Rank} ({who}): my wealth is {Wealth}; the other's stays secret"));
        }

        lines.Add($"richer: {(isEqual ? "equal" : isRicher ? "first" : "second")}");
        return lines;
    }

    public async Task RunDealerAsync(TrustedDealer dealer, CancellationToken cancellationToken)
    {
        await dealer.ServeLessThanZeroAsync(1, cancellationToken).ConfigureAwait(false);
        await dealer.ServeEqualAsync(1, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks that a wealth fits the fixed-point range the comparison is exact in.</summary>
    public static double Check(double wealth, string name) =>
        double.IsFinite(wealth) && Math.Abs(wealth) < 1e12
            ? wealth
            : throw new ArgumentException($"{name} must be a finite number below 1e12 in magnitude, got {wealth.ToString(CultureInfo.InvariantCulture)}.");
}
