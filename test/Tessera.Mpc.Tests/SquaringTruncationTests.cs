using Tessera.Mpc.Protocols;
using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Tests;

/// <summary>
/// Truncation that also yields the square of its result (squaring truncation pairs): the truncated value is floor or
/// floor + 1 of x / 2^s plus the public addend, and the square is exactly that value's square in the ring, in one round,
/// with 2 and 3 parties and signed inputs.
/// </summary>
public sealed class SquaringTruncationTests
{
    [Theory]
    [InlineData(2, 22, 0UL)]
    [InlineData(3, 22, 1UL << 22)]
    [InlineData(2, 7, 5UL)]
    [InlineData(3, 40, 0UL)]
    public async Task TruncateAndSquare_MatchesPlaintextExactlyInOneRound(int parties, int shift, ulong addend)
    {
        var random = new Random(shift * 31 + parties);
        // Signed values below 2^62 whose truncation stays below 2^31 in magnitude, so the square stays below 2^62.
        var xs = Enumerable.Range(0, 257).Select(i => (long)((random.NextDouble() * 2 - 1) * Math.ScaleB(1.0, Math.Min(30 + shift, 61)))).ToArray();
        xs[0] = 0;
        xs[1] = -1;
        xs[2] = 1L << shift;
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = session.Share(0, session.Rank == 0 ? Tensor.Zeros([xs.Length], DType.Float64) : null, xs.Length);
            if (session.Rank == 0)
            {
                RingKernels.Add(x.Share, xs.Select(v => unchecked((ulong)v)).ToArray(), x.Share);
            }

            x = x.With(x.Share, shift + 8);
            var rounds = session.Communicator.Statistics.Rounds;
            var (truncated, square) = await Truncation.TruncateAndSquareAsync(session, x, shift, addend, CancellationToken.None);
            rounds = session.Communicator.Statistics.Rounds - rounds;
            return (Truncated: await session.RevealRingAsync(truncated), Square: await session.RevealRingAsync(truncated.With(square, 0)), rounds, truncated.FractionalBits);
        });

        foreach (var result in run.Results)
        {
            Assert.Equal(1, result.rounds);
            Assert.Equal(8, result.FractionalBits);
            for (var i = 0; i < xs.Length; i++)
            {
                var floor = (xs[i] >> shift) + (long)addend;
                var y = unchecked((long)result.Truncated[i]);
                Assert.True(y == floor || y == floor + 1, $"x = {xs[i]}: got {y}, expected {floor} or {floor + 1}");
                Assert.Equal(unchecked((ulong)(y * y)), result.Square[i]);
            }
        }
    }
}
