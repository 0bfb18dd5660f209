using Tessera.Mpc.Communication;

namespace Tessera.Mpc.Randomness;

/// <summary>
/// Pseudo-random zero-sharings (PRZS) without communication after set-up: party i holds an AES-CTR stream keyed by the
/// seed it shares with party i+1 ("next") and one keyed by the seed it shares with party i-1 ("previous"), and its share
/// of zero is next - previous. Summed over the ring of parties every stream appears once with each sign, so the shares
/// add up to 0 mod 2^64, while any single party's share is pseudo-random to the others.
/// </summary>
/// <remarks>
/// Set-up: each party draws a seed from its random source, sends it to the next party and receives the previous party's
/// seed (one message of 16 bytes per party, one round). With two parties, next and previous are the same peer but the
/// two seeds differ, so the shares are still pseudo-random. All parties must request the same lengths in the same order.
/// </remarks>
internal sealed class PairwiseZeroSharing : IDisposable
{
    private readonly AesCtrPrg _next;
    private readonly AesCtrPrg _previous;

    private PairwiseZeroSharing(AesCtrPrg next, AesCtrPrg previous)
    {
        _next = next;
        _previous = previous;
    }

    /// <summary>Exchanges seeds among the <paramref name="parties"/> computing ranks 0 .. parties - 1.</summary>
    public static async Task<PairwiseZeroSharing> CreateAsync(
        ICommunicator communicator, int parties, IRandomSource random, CancellationToken cancellationToken)
    {
        var rank = communicator.Rank;
        var next = (rank + 1) % parties;
        var previous = (rank + parties - 1) % parties;
        var mySeed = AesCtrPrg.NewSeed(random);
        using (communicator.BeginOperation("setup"))
        {
            await communicator.SendAsync(next, mySeed, cancellationToken).ConfigureAwait(false);
            communicator.CountRound();
            var theirSeed = await communicator.ReceiveAsync(previous, cancellationToken).ConfigureAwait(false);
            if (theirSeed.Length != AesCtrPrg.SeedBytes)
            {
                throw new InvalidDataException(
                    $"Party {previous} sent a {theirSeed.Length}-byte seed; a seed has {AesCtrPrg.SeedBytes} bytes.");
            }

            var result = new PairwiseZeroSharing(new AesCtrPrg(mySeed), new AesCtrPrg(theirSeed));
            Array.Clear(mySeed);
            Array.Clear(theirSeed);
            return result;
        }
    }

    /// <summary>Fills <paramref name="destination"/> with this party's shares of zeros.</summary>
    public void Fill(Span<ulong> destination)
    {
        _next.Fill(destination);
        var previous = _previous.Next(destination.Length);
        RingKernels.Subtract(destination, previous, destination);
    }

    /// <summary>Fills <paramref name="destination"/> with this party's XOR shares of zeros (next XOR previous).</summary>
    public void FillXor(Span<ulong> destination)
    {
        _next.Fill(destination);
        var previous = _previous.Next(destination.Length);
        BinaryKernels.Xor(destination, previous, destination);
    }

    public void Dispose()
    {
        _next.Dispose();
        _previous.Dispose();
    }
}
