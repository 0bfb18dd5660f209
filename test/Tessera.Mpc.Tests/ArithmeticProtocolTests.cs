using Tessera.Mpc.Communication;
using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;
using Tessera.Mpc.Randomness;
using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Tests;

/// <summary>
/// Every arithmetic operation against its plaintext result, with 2 and 3 computing parties plus a dealer in process.
/// Tolerances: linear operations are exact on the encoded values (0 error beyond encoding, 2^-17); a product after
/// truncation is within 1 ulp (2^-16) of the exact product of the encoded inputs, and within 1e-4 absolute or 2^-15
/// relative of the product of the real inputs over [-10, 10].
/// </summary>
public sealed class ArithmeticProtocolTests
{
    private const double Ulp = 1.0 / 65536;

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ZeroSharing_SharesSumToZero(int parties)
    {
        var run = await MpcHarness.RunAsync(parties, session =>
        {
            var share = new ulong[101];
            session.ZeroSharing.Fill(share);
            return Task.FromResult(share);
        }, MpcHarness.NoDealerWork);

        for (var i = 0; i < 101; i++)
        {
            var sum = run.Results.Aggregate(0UL, (acc, s) => unchecked(acc + s[i]));
            Assert.Equal(0UL, sum);
            Assert.NotEqual(0UL, run.Results[0][i]);
        }
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    public async Task ShareThenReveal_ReturnsValueWithoutTrafficForSharing(int parties, int owner)
    {
        var values = MpcHarness.Uniform(50, -100, 100, seed: 1);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var before = session.Communicator.Statistics.BytesSent;
            var x = session.Share(owner, session.Rank == owner ? Tensor.FromArray(values, 5, 10) : null, 5, 10);
            var sharingBytes = session.Communicator.Statistics.BytesSent - before;
            var revealed = await session.RevealAsync(x);
            return (sharingBytes, revealed, x.Share);
        }, MpcHarness.NoDealerWork);

        foreach (var (sharingBytes, revealed, _) in run.Results)
        {
            Assert.Equal(0, sharingBytes);
            Assert.Equal(new[] { 5, 10 }, revealed.ShapeToArray());
            Assert.Equal(values.Select(v => MpcHarness.Quantize(v)), revealed.ToArray<double>());
        }

        Assert.All(run.Results, r => Assert.NotEqual(new FixedPointEncoderAccess().Encode(values), r.Share));
        Assert.Equal(8 * 50 * (parties - 1) * parties, run.Sent("reveal").Sum(m => m.Bytes));
        Assert.All(run.Communicators.Take(parties), c => Assert.Equal(1, c.Statistics.ByOperation["reveal"].Rounds));
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 0)]
    [InlineData(3, 2)]
    public async Task RevealToAsync_OnlyReceiverLearnsValue(int parties, int receiver)
    {
        var values = MpcHarness.Uniform(20, -5, 5, seed: 2);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = session.Share(0, session.Rank == 0 ? Tensor.FromArray(values, 20) : null, 20);
            return await session.RevealToAsync(x, receiver);
        }, MpcHarness.NoDealerWork);

        for (var rank = 0; rank < parties; rank++)
        {
            if (rank == receiver)
            {
                Assert.Equal(values.Select(v => MpcHarness.Quantize(v)), run.Results[rank]!.ToArray<double>());
            }
            else
            {
                Assert.Null(run.Results[rank]);
            }
        }

        var messages = run.Sent("reveal").ToArray();
        Assert.Equal(parties - 1, messages.Length);
        Assert.All(messages, m => Assert.Equal(receiver, m.To));
        Assert.All(messages, m => Assert.Equal(160, m.Bytes));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task LinearOperations_MatchPlaintext(int parties)
    {
        var xs = MpcHarness.Uniform(64, -50, 50, seed: 3);
        var ys = MpcHarness.Uniform(64, -50, 50, seed: 4);
        var ps = MpcHarness.Uniform(64, -3, 3, seed: 5);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = session.Share(0, session.Rank == 0 ? Tensor.FromArray(xs, 64) : null, 64);
            var y = session.Share(parties - 1, session.Rank == parties - 1 ? Tensor.FromArray(ys, 64) : null, 64);
            var p = Tensor.FromArray(ps, 64);
            var results = new List<double[]>();
            foreach (var shared in new[]
            {
                ArithmeticLinear.Add(x, y),
                ArithmeticLinear.Subtract(x, y),
                ArithmeticLinear.Negate(x),
                ArithmeticLinear.AddPublic(x, p),
                ArithmeticLinear.MultiplyPublic(x, -3),
                await session.RescaleAsync(ArithmeticLinear.MultiplyPublic(x, p)),
            })
            {
                results.Add((await session.RevealAsync(shared)).ToArray<double>());
            }

            return results;
        }, dealer => dealer.ServeTruncationPairAsync(64, 16).AsTask());

        var q = (double v) => MpcHarness.Quantize(v);
        foreach (var results in run.Results)
        {
            for (var i = 0; i < 64; i++)
            {
                Assert.Equal(q(xs[i]) + q(ys[i]), results[0][i]);
                Assert.Equal(q(xs[i]) - q(ys[i]), results[1][i]);
                Assert.Equal(-q(xs[i]), results[2][i]);
                Assert.Equal(q(xs[i]) + q(ps[i]), results[3][i]);
                Assert.Equal(-3 * q(xs[i]), results[4][i]);
                Assert.True(Math.Abs(results[5][i] - (q(xs[i]) * q(ps[i]))) < Ulp, $"{xs[i]} * {ps[i]} -> {results[5][i]}");
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task MulAsync_ThenRescale_WithinOneUlpOfEncodedProduct(int parties)
    {
        const int n = 2000;
        var xs = MpcHarness.Uniform(n, -10, 10, seed: 6);
        var ys = MpcHarness.Uniform(n, -10, 10, seed: 7);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = session.Share(0, session.Rank == 0 ? Tensor.FromArray(xs, n) : null, n);
            var y = session.Share(1, session.Rank == 1 ? Tensor.FromArray(ys, n) : null, n);
            var product = await session.MulAsync(x, y);
            var rescaled = await session.RescaleAsync(product);
            return (Raw: await session.RevealAsync(product), Value: await session.RevealAsync(rescaled));
        }, async dealer =>
        {
            await dealer.ServeTripleAsync(TripleRequest.Elementwise(n));
            await dealer.ServeTruncationPairAsync(n, 16);
        });

        foreach (var (raw, value) in run.Results)
        {
            var rawValues = raw.ToArray<double>();
            var values = value.ToArray<double>();
            for (var i = 0; i < n; i++)
            {
                var exact = MpcHarness.Quantize(xs[i]) * MpcHarness.Quantize(ys[i]);
                Assert.Equal(exact, rawValues[i]);
                Assert.True(Math.Abs(values[i] - exact) < Ulp, $"{xs[i]} * {ys[i]} -> {values[i]}");
                var real = xs[i] * ys[i];
                var error = Math.Abs(values[i] - real);
                Assert.True(error <= 1e-4 || error <= Math.Abs(real) * Math.ScaleB(1.0, -15), $"{xs[i]} * {ys[i]} -> {values[i]}");
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task MatMulAsync_ThenRescale_WithinOneUlpOfEncodedProduct(int parties)
    {
        const int m = 5, k = 7, n = 3;
        var xs = MpcHarness.Uniform(m * k, -4, 4, seed: 8);
        var ys = MpcHarness.Uniform(k * n, -4, 4, seed: 9);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = session.Share(0, session.Rank == 0 ? Tensor.FromArray(xs, m, k) : null, m, k);
            var y = session.Share(parties - 1, session.Rank == parties - 1 ? Tensor.FromArray(ys, k, n) : null, k, n);
            return await session.RevealAsync(await session.RescaleAsync(await session.MatMulAsync(x, y)));
        }, async dealer =>
        {
            await dealer.ServeTripleAsync(TripleRequest.MatMul(m, k, n));
            await dealer.ServeTruncationPairAsync(m * n, 16);
        });

        foreach (var result in run.Results)
        {
            Assert.Equal(new[] { m, n }, result.ShapeToArray());
            var values = result.ToArray<double>();
            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    var exact = 0.0;
                    for (var t = 0; t < k; t++)
                    {
                        exact += MpcHarness.Quantize(xs[(i * k) + t]) * MpcHarness.Quantize(ys[(t * n) + j]);
                    }

                    Assert.True(Math.Abs(values[(i * n) + j] - exact) < Ulp, $"[{i},{j}]: {values[(i * n) + j]} vs {exact}");
                }
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task TruncateAsync_LargeMagnitudes_NoWrapFailureAndUnbiased(int parties)
    {
        // Products up to 9e8 (2^29.7) at 32 fractional bits: integers near 2^61.7, where CrypTen's two-party local
        // truncation would fail on a few percent of elements.
        const int n = 20_000;
        var xs = MpcHarness.Uniform(n, -30_000, 30_000, seed: 10);
        var ys = MpcHarness.Uniform(n, -30_000, 30_000, seed: 11);
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = session.Share(0, session.Rank == 0 ? Tensor.FromArray(xs, n) : null, n);
            var y = session.Share(1, session.Rank == 1 ? Tensor.FromArray(ys, n) : null, n);
            return await session.RevealRingAsync(await session.RescaleAsync(await session.MulAsync(x, y)));
        }, async dealer =>
        {
            await dealer.ServeTripleAsync(TripleRequest.Elementwise(n));
            await dealer.ServeTruncationPairAsync(n, 16);
        });

        // Exact integer reference: the product P of the encoded inputs has 32 fractional bits; the truncated result must be
        // floor(P / 2^16) or that plus one (doubles cannot hold these 62-bit products exactly, Int128 can).
        var encoder = new Encoding.FixedPointEncoder();
        var ex = encoder.Encode(xs);
        var ey = encoder.Encode(ys);
        var errorSum = 0.0;
        for (var i = 0; i < n; i++)
        {
            var product = (Int128)(long)ex[i] * (long)ey[i];
            var floor = product >> 16;
            var result = (Int128)(long)run.Results[0][i];
            Assert.True(result == floor || result == floor + 1, $"{xs[i]} * {ys[i]}: {result} vs floor {floor}");
            errorSum += (double)((result << 16) - product) / 65536.0;
        }

        Assert.InRange(errorSum / n, -0.05, 0.05);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task TruncateAsync_EveryShift_FloorOrFloorPlusOne(int parties)
    {
        // Every shift 1..62, so every width of the dealer's narrowed wrap-bit correction (1 to 8 bytes) is exercised, on
        // signed ring integers up to 2^61.9 in magnitude, randomly shared.
        const int n = 200;
        var random = new Random(62);
        var values = Enumerable.Range(0, n).Select(i => (long)((random.NextDouble() * 2 - 1) * Math.ScaleB(1.0, 1 + (i % 61)))).ToArray();
        values[0] = 0;
        values[1] = (long)Math.ScaleB(1.0, 61) + 12345;
        values[2] = -values[1];
        var masks = Enumerable.Range(0, parties).Select(_ => Enumerable.Range(0, n).Select(_ => (ulong)random.NextInt64() ^ ((ulong)random.NextInt64() << 1)).ToArray()).ToArray();
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            // Party j > 0 holds masks[j]; party 0 holds the value minus every other party's mask.
            var share = session.Rank == 0
                ? values.Select((v, i) => unchecked((ulong)v - Enumerable.Range(1, parties - 1).Aggregate(0UL, (sum, j) => sum + masks[j][i]))).ToArray()
                : masks[session.Rank];
            var results = new List<ulong[]>();
            for (var shift = 1; shift <= 62; shift++)
            {
                var x = new SharedTensor(session, (ulong[])share.Clone(), [n], 62);
                results.Add(await session.RevealRingAsync(await session.TruncateAsync(x, shift)));
            }

            return results;
        });

        for (var shift = 1; shift <= 62; shift++)
        {
            for (var i = 0; i < n; i++)
            {
                var floor = values[i] >> shift;
                var result = (long)run.Results[0][shift - 1][i];
                Assert.True(result == floor || result == floor + 1, $"shift {shift}: {values[i]} gave {result}, floor {floor}");
            }
        }
    }

    [Fact]
    public async Task TruncationPair_CorrectionOfTheWrongLength_IsRefusedNamingWhatWasExpected()
    {
        // A stand-in dealer (rank 2) gives both parties their seeds, then sends party 0 (request 0's receiver) the old
        // 16-byte-per-element layout for 4 pairs with shift 16, where 8 + 2 bytes per element are due.
        var group = InProcessCommunicator.CreateGroup(3, MpcHarness.Timeout);
        var dealer = Task.Run(async () =>
        {
            await group[2].SendAsync(0, new byte[16]);
            await group[2].SendAsync(1, new byte[16]);
            await group[2].SendAsync(0, new byte[4 * 16]);
        });
        var parties = Enumerable.Range(0, 2).Select(rank => Task.Run(async () =>
        {
            await using var session = await MpcSession.CreateAsync(
                group[rank], 2, new DealerCorrelationProvider(DealerMode.Scripted), CryptoRandomSource.Instance);
            if (rank == 0)
            {
                await session.Provider.GetTruncationPairAsync(4, 16);
            }
        })).ToArray();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => parties[0]);
        Assert.Contains("64 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncation correction of 4 elements (40 bytes)", error.Message, StringComparison.Ordinal);
        await dealer;
        await parties[1];
    }

    [Fact]
    public async Task Operations_InvalidArguments_Throw()
    {
        await MpcHarness.RunAsync(2, async session =>
        {
            if (session.Rank == 0)
            {
                Assert.Throws<ArgumentException>(() => session.Share(0, Tensor.Zeros([3], DType.Float64), 4));
                Assert.Throws<ArgumentException>(() => session.Share(0, null, 4));
            }

            Assert.Throws<ArgumentOutOfRangeException>(() => session.Share(2, null, 4));
            var x = session.Share(0, session.Rank == 0 ? Tensor.Zeros([4], DType.Float64) : null, 4);
            var y = session.Share(0, session.Rank == 0 ? Tensor.Zeros([2, 2], DType.Float64) : null, 2, 2);
            Assert.Throws<ArgumentException>(() => ArithmeticLinear.Add(x, y));
            Assert.Throws<ArgumentException>(() => ArithmeticLinear.AddPublic(x, Tensor.Zeros([3], DType.Float64)));
            await Assert.ThrowsAsync<ArgumentException>(async () => await session.MulAsync(x, y));
            await Assert.ThrowsAsync<ArgumentException>(async () => await session.MatMulAsync(x, y));
            await Assert.ThrowsAsync<ArgumentException>(async () => await session.RescaleAsync(x));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await session.TruncateAsync(x, 17));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await session.RevealToAsync(x, 2));
            return 0;
        }, MpcHarness.NoDealerWork);
    }

    private sealed class FixedPointEncoderAccess
    {
        public ulong[] Encode(double[] values) => new Encoding.FixedPointEncoder().Encode(values);
    }
}
