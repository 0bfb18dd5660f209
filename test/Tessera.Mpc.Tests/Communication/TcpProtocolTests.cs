using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;

namespace Tessera.Mpc.Tests.Communication;

/// <summary>
/// The protocols over the real transport: every rank (parties and dealer) on its own TcpCommunicator with TLS 1.3 and
/// mutual certificates on loopback, checked against plaintext like the in-process tests.
/// </summary>
public sealed class TcpProtocolTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task MulMatMulReluSigmoidReciprocal_OverTls_MatchPlaintext(int parties)
    {
        const int n = 64;
        var xs = MpcHarness.Uniform(n, -4, 4, seed: 31);
        var ys = MpcHarness.Uniform(n, -4, 4, seed: 32);
        var ps = MpcHarness.Uniform(n, 0.5, 20, seed: 33);
        var communicators = await TcpTestMesh.ConnectAsync(parties + 1);
        try
        {
            var run = await MpcHarness.RunAsync(parties, async session =>
            {
                var x = session.Share(0, session.Rank == 0 ? Tensor.FromArray(xs, n) : null, n);
                var y = session.Share(1, session.Rank == 1 ? Tensor.FromArray(ys, n) : null, n);
                var p = session.Share(0, session.Rank == 0 ? Tensor.FromArray(ps, n) : null, n);
                var product = await session.RescaleAsync(await session.MulAsync(x, y));
                var gram = await session.RescaleAsync(await session.MatMulAsync(session.Share(0, session.Rank == 0 ? Tensor.FromArray(xs, 8, 8) : null, 8, 8),
                    session.Share(1, session.Rank == 1 ? Tensor.FromArray(ys, 8, 8) : null, 8, 8)));
                var relu = await session.ReluAsync(x);
                var sigmoid = await session.SigmoidAsync(x);
                var reciprocal = await session.ReciprocalAsync(p);
                var results = new List<double[]>();
                foreach (var shared in new[] { product, gram, relu, sigmoid, reciprocal })
                {
                    results.Add((await session.RevealAsync(shared)).ToArray<double>()); // one at a time: messages stay in order
                }

                return results.ToArray();
            }, async dealer =>
            {
                await dealer.ServeTripleAsync(TripleRequest.Elementwise(n));
                await dealer.ServeTruncationPairAsync(n, 16);
                await dealer.ServeTripleAsync(TripleRequest.MatMul(8, 8, 8));
                await dealer.ServeTruncationPairAsync(n, 16);
                await dealer.ServeReluAsync(n);
                await dealer.ServeSigmoidAsync(n);
                await dealer.ServeReciprocalAsync(n);
            }, transport: communicators);

            var (product, gram, relu, sigmoid, reciprocal) = (run.Results[0][0], run.Results[0][1], run.Results[0][2], run.Results[0][3], run.Results[0][4]);
            for (var i = 0; i < n; i++)
            {
                Assert.True(Math.Abs(product[i] - (xs[i] * ys[i])) < 1e-3, $"mul {i}");
                Assert.Equal(Math.Max(0, MpcHarness.Quantize(xs[i])), relu[i], 12);
                Assert.True(Math.Abs(sigmoid[i] - (1 / (1 + Math.Exp(-xs[i])))) < 1.2e-3, $"sigmoid {i}");
                Assert.True(Math.Abs(reciprocal[i] - (1 / ps[i])) <= (2e-4 / ps[i]) + 3e-5 + 1e-4, $"reciprocal {i}");
            }

            var expected = Enumerable.Range(0, 8).Sum(t => xs[t] * ys[t * 8]);
            Assert.True(Math.Abs(gram[0] - expected) < 1e-2);
            Assert.All(run.Results, r => Assert.Equal(run.Results[0][3], r[3]));
            Assert.DoesNotContain(run.Log, m => m.To == run.Dealer);
        }
        finally
        {
            await TcpTestMesh.DisposeAllAsync(communicators);
        }
    }
}
