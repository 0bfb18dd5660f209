using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;

namespace Tessera.Mpc.Tests;

/// <summary>
/// Yao's millionaires in one process: parties 0 and 1 each share a wealth, the parties compute [a &gt; b] and [a == b]
/// on the shares and reveal only those two bits; no party ever receives the other's wealth or a share of it in the clear.
/// </summary>
public sealed class MillionairesTests
{
    [Theory]
    [InlineData(2, 1_000_000.0, 999_999.5, "first")]
    [InlineData(2, 250_000.0, 250_000.25, "second")]
    [InlineData(2, 42_000.0, 42_000.0, "equal")]
    [InlineData(3, -3.0, -7.0, "first")]
    [InlineData(3, 0.0, 0.0, "equal")]
    [InlineData(3, 524_287.0, 524_288.0, "second")]
    public async Task Millionaires_RevealOnlyWhoIsRicher(int parties, double first, double second, string expected)
    {
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var a = session.Share(0, session.Rank == 0 ? Tensor.FromArray(new[] { first }, 1) : null, 1);
            var b = session.Share(1, session.Rank == 1 ? Tensor.FromArray(new[] { second }, 1) : null, 1);
            var richer = await session.GreaterThanAsync(a, b);
            var equal = await session.EqualAsync(a, b);
            var isRicher = (await session.RevealAsync(richer)).ToArray<double>()[0];
            var isEqual = (await session.RevealAsync(equal)).ToArray<double>()[0];
            return isEqual == 1.0 ? "equal" : isRicher == 1.0 ? "first" : "second";
        }, async dealer =>
        {
            await dealer.ServeLessThanZeroAsync(1);
            await dealer.ServeEqualAsync(1);
        });

        Assert.All(run.Results, r => Assert.Equal(expected, r));
        Assert.Equal(2 * parties * (parties - 1), run.Sent("reveal").Count());
        Assert.All(run.Sent("reveal"), m => Assert.Equal(8, m.Bytes));
        Assert.DoesNotContain(run.Log, m => m.To == run.Dealer);
    }
}
