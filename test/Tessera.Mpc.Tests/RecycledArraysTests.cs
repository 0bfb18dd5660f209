using Tessera.Mpc;
using Xunit;

namespace Tessera.Mpc.Tests;

public sealed class RecycledArraysTests
{
    // Lengths no protocol in the suite uses, so tests running beside this one cannot take these arrays.
    private const int Unusual = 123_457;

    [Fact]
    public void Rent_AfterReturn_GivesTheSameArrayOfExactlyThatLength()
    {
        var array = RecycledArrays<ulong>.Rent(Unusual);
        Assert.Equal(Unusual, array.Length);
        RecycledArrays<ulong>.Return(array);
        Assert.Same(array, RecycledArrays<ulong>.Rent(Unusual));
        Assert.NotSame(array, RecycledArrays<ulong>.Rent(Unusual));
    }

    [Fact]
    public void Return_Twice_IsRefused()
    {
        var array = RecycledArrays<ulong>.Rent(Unusual + 1);
        RecycledArrays<ulong>.Return(array);
        var error = Assert.Throws<InvalidOperationException>(() => RecycledArrays<ulong>.Return(array));
        Assert.Contains("returned twice", error.Message, StringComparison.Ordinal);
        Assert.Same(array, RecycledArrays<ulong>.Rent(Unusual + 1));
    }

    [Fact]
    public void SmallArrays_AreLeftToTheAllocator()
    {
        var small = RecycledArrays<byte>.Rent(RecycledArrays<byte>.MinimumBytes - 1);
        RecycledArrays<byte>.Return(small);
        Assert.NotSame(small, RecycledArrays<byte>.Rent(RecycledArrays<byte>.MinimumBytes - 1));
    }

    [Fact]
    public void AtMostPerLengthArraysOfOneLengthAreKept()
    {
        var arrays = Enumerable.Range(0, RecycledArrays<ulong>.PerLength + 3).Select(_ => RecycledArrays<ulong>.Rent(Unusual + 2)).ToArray();
        RecycledArrays<ulong>.Return(arrays);
        var again = Enumerable.Range(0, RecycledArrays<ulong>.PerLength + 3).Select(_ => RecycledArrays<ulong>.Rent(Unusual + 2)).ToArray();
        Assert.Equal(RecycledArrays<ulong>.PerLength, again.Count(a => arrays.Contains(a)));
    }

    [Fact]
    public void AtTheCap_TheLeastRecentlyUsedLengthsMakeRoom()
    {
        // Nine lengths of 32 MB are more than the cap holds; an array of a new length returned after them is still kept
        // (it used to be dropped until the old lengths idled out), and the least recently used length is the one gone.
        var big = (int)(RecycledArrays<ulong>.MaximumBytes / 8 / sizeof(ulong));
        var arrays = Enumerable.Range(0, 9).Select(i => GC.AllocateUninitializedArray<ulong>(big + 16 + i)).ToArray();
        foreach (var array in arrays)
        {
            RecycledArrays<ulong>.Return(array);
        }

        Assert.True(RecycledArrays<ulong>.KeptBytes <= RecycledArrays<ulong>.MaximumBytes);
        var probe = RecycledArrays<ulong>.Rent(Unusual + 4);
        RecycledArrays<ulong>.Return(probe);
        Assert.Same(probe, RecycledArrays<ulong>.Rent(Unusual + 4));
        Assert.NotSame(arrays[0], RecycledArrays<ulong>.Rent(big + 16));
        Assert.Same(arrays[8], RecycledArrays<ulong>.Rent(big + 24));
    }

    [Fact]
    public async Task IdleLengths_AreDropped()
    {
        var array = RecycledArrays<ulong>.Rent(Unusual + 3);
        RecycledArrays<ulong>.Return(array);
        await Task.Delay(RecycledArrays<ulong>.IdleMilliseconds + 150);
        Assert.NotSame(array, RecycledArrays<ulong>.Rent(Unusual + 3));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RepeatedLargeOperations_KeepEveryEarlierResultIntact(int parties)
    {
        // Large enough (20,000 elements, 160 KB) for every transient array to go through the recycler, and repeated, so that
        // each operation runs on memory an earlier one handed back; every result is revealed only at the end, so a result
        // whose memory was handed out again would show.
        const int n = 20_000;
        var xs = MpcHarness.Uniform(n, -3, 3, seed: 71);
        var ys = MpcHarness.Uniform(n, -3, 3, seed: 72);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Tensor.FromArray(xs, n) : null, n);
            var y = EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? Tensor.FromArray(ys, n) : null, n);
            var results = new List<EncryptedTensor>();
            for (var repeat = 0; repeat < 3; repeat++)
            {
                var product = await x.MulAsync(y);
                results.Add(product);
                results.Add(await product.ReluAsync());
                results.Add(await x.MulAsync(x));
            }

            var revealed = new List<double[]>();
            foreach (var result in results)
            {
                revealed.Add((await result.DecryptAsync()).ToArray<double>());
            }

            return revealed;
        });

        var product = xs.Select((x, i) => MpcHarness.Quantize(x) * MpcHarness.Quantize(ys[i])).ToArray();
        var square = xs.Select(x => MpcHarness.Quantize(x) * MpcHarness.Quantize(x)).ToArray();
        foreach (var revealed in run.Results)
        {
            for (var r = 0; r < revealed.Count; r++)
            {
                var expected = (r % 3) switch
                {
                    0 => product,
                    1 => product.Select(v => Math.Max(v, 0)).ToArray(),
                    _ => square,
                };
                for (var i = 0; i < n; i++)
                {
                    Assert.True(Math.Abs(expected[i] - revealed[r][i]) <= 3e-5, $"result {r}, element {i}: {revealed[r][i]} for {expected[i]}");
                }
            }
        }
    }
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RepeatedApproximations_KeepEveryEarlierResultIntact(int parties)
    {
        // exp, sigmoid and reciprocal hand their intermediates (squares, Newton iterates, comparison bits) back to the
        // recycler; repeated on 20,000 elements and revealed only at the end, as above.
        const int n = 20_000;
        var xs = MpcHarness.Uniform(n, -4, 4, seed: 73);
        var positive = MpcHarness.Uniform(n, 0.5, 50, seed: 74);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Tensor.FromArray(xs, n) : null, n);
            var p = EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? Tensor.FromArray(positive, n) : null, n);
            var results = new List<EncryptedTensor>();
            for (var repeat = 0; repeat < 2; repeat++)
            {
                results.Add(await x.ExpAsync());
                results.Add(await x.SigmoidAsync());
                results.Add(await p.ReciprocalAsync());
            }

            var revealed = new List<double[]>();
            foreach (var result in results)
            {
                revealed.Add((await result.DecryptAsync()).ToArray<double>());
            }

            return revealed;
        });

        foreach (var revealed in run.Results)
        {
            for (var r = 0; r < revealed.Count; r++)
            {
                for (var i = 0; i < n; i++)
                {
                    var (expected, tolerance) = (r % 3) switch
                    {
                        // PROTOCOLS.md's bounds: exp's is the limit approximation's own error plus rounding.
                        0 => (Math.Exp(xs[i]), ((ExpBound(xs[i]) + 2e-4) * Math.Exp(xs[i])) + 1e-4),
                        1 => (1 / (1 + Math.Exp(-xs[i])), 1.2e-3),
                        _ => (1 / positive[i], (2e-4 / positive[i]) + 3e-5),
                    };
                    Assert.True(Math.Abs(expected - revealed[r][i]) <= tolerance, $"result {r}, element {i}: {revealed[r][i]} for {expected}");
                }
            }
        }
    }

    private static double ExpBound(double x) => Math.Abs(1 - Math.Exp((256 * Math.Log(1 + (x / 256))) - x));
}
