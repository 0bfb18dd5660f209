using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;
using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Tests;

/// <summary>
/// Bit products from the dealer (t in both domains, a, c = a t) and the one-round product of a shared ring value with an
/// XOR-shared bit built on them, against plaintext with 2 and 3 parties, on counts around word boundaries.
/// </summary>
public sealed class BitInjectionTests
{
    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        foreach (var parties in new[] { 2, 3 })
        {
            foreach (var count in new[] { 1, 63, 64, 65, 130 })
            {
                data.Add(parties, count);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BitProducts_BitsAgreeInBothDomainsAndCIsATimesT(int parties, int count)
    {
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var material = await session.Provider.GetBitProductsAsync(count);
            var words = (count + 63) / 64;
            var packed = await session.RevealBinaryAsync(new BinarySharedTensor(session, material.PackedBits, [words]));
            var bits = await session.RevealRingAsync(new SharedTensor(session, material.Bits, [count], 0));
            var a = await session.RevealRingAsync(new SharedTensor(session, material.A, [count], 0));
            var c = await session.RevealRingAsync(new SharedTensor(session, material.C, [count], 0));
            return (packed, bits, a, c);
        });

        var (packedBits, arithmetic, randoms, products) = run.Results[0];
        for (var i = 0; i < count; i++)
        {
            var t = (packedBits[i >> 6] >> (i & 63)) & 1UL;
            Assert.Equal(t, arithmetic[i]);
            Assert.Equal(unchecked(randoms[i] * t), products[i]);
        }

        // Both kinds of bit occur, and the dealer's one correction (t and a t of the receiver) went to party r mod N.
        if (count >= 64)
        {
            Assert.Contains(0UL, arithmetic);
            Assert.Contains(1UL, arithmetic);
        }

        Assert.Equal(16 * count, run.DealerCorrections.Single().Bytes);
        run.AssertCorrectionsRotate();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Multiply_RingValueTimesXorSharedBit_MatchesPlaintextInOneRound(int parties, int count)
    {
        var random = new Random(count * 7 + parties);
        var xs = Enumerable.Range(0, count).Select(_ => (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40)).ToArray();
        var bitWords = Enumerable.Range(0, (count + 63) / 64).Select(_ => (ulong)random.NextInt64() ^ ((ulong)random.Next() << 33)).ToArray();
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = session.Share(0, session.Rank == 0 ? Tensor.Zeros([count], DType.Float64) : null, count);
            var shares = x.Share;
            if (session.Rank == 0)
            {
                // Shares of the chosen ring values: party 0 adds them to its share of zero.
                RingKernels.Add(shares, xs, shares);
            }

            var b = session.ShareBinary(parties - 1, session.Rank == parties - 1 ? bitWords : null, bitWords.Length);
            var rounds = session.Communicator.Statistics.Rounds;
            var (product, bits) = await BitInjection.MultiplyAsync(session, shares, b.Share, complement: false, CancellationToken.None);
            var (complementProduct, complementBits) = await BitInjection.MultiplyAsync(session, shares, b.Share, complement: true, CancellationToken.None);
            rounds = session.Communicator.Statistics.Rounds - rounds;
            return (
                Product: await session.RevealRingAsync(x.With(product, 0)),
                Bits: await session.RevealRingAsync(x.With(bits, 0)),
                Complement: await session.RevealRingAsync(x.With(complementProduct, 0)),
                ComplementBits: await session.RevealRingAsync(x.With(complementBits, 0)),
                Rounds: rounds);
        });

        foreach (var result in run.Results)
        {
            Assert.Equal(2, result.Rounds);
            for (var i = 0; i < count; i++)
            {
                var bit = (bitWords[i >> 6] >> (i & 63)) & 1UL;
                Assert.Equal(bit, result.Bits[i]);
                Assert.Equal(1 - bit, result.ComplementBits[i]);
                Assert.Equal(bit == 1 ? xs[i] : 0UL, result.Product[i]);
                Assert.Equal(bit == 1 ? 0UL : xs[i], result.Complement[i]);
            }
        }
    }
}
