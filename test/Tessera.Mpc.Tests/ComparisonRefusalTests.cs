using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;
using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Tests;

/// <summary>Misuse of the binary and comparison API is refused with the parameter named, before any randomness is drawn.</summary>
public sealed class ComparisonRefusalTests
{
    [Fact]
    public async Task BinaryAndComparisonMisuse_Throws()
    {
        var run = await MpcHarness.RunAsync(2, session =>
        {
            if (session.Rank == 0)
            {
                // Only the owner checks its words; it refuses before drawing, so the parties' streams stay in step.
                var wrongCount = Assert.Throws<ArgumentException>(() => session.ShareBinary(0, new ulong[3], 4));
                Assert.Equal("value", wrongCount.ParamName);
            }

            var x = session.ShareBinary(1, session.Rank == 1 ? new ulong[4] : null, 4);
            var y = session.ShareBinary(1, session.Rank == 1 ? new ulong[6] : null, 2, 3);
            Assert.Equal("y", Assert.Throws<ArgumentException>(() => BinarySharing.Xor(x, y)).ParamName);
            Assert.Equal("value", Assert.Throws<ArgumentException>(() => BinarySharing.XorPublic(x, new ulong[3])).ParamName);
            Assert.Equal("value", Assert.Throws<ArgumentException>(() => BinarySharing.AndPublic(x, new ulong[5])).ParamName);
            var a = session.Share(0, session.Rank == 0 ? Tensor.Zeros([4], DType.Float64) : null, 4);
            var b = new SharedTensor(session, new ulong[4], [4], 0);
            Assert.Equal("y", Assert.Throws<ArgumentException>(() => session.LessThanAsync(a, b).AsTask().GetAwaiter().GetResult()).ParamName);
            return Task.FromResult(0);
        }, MpcHarness.NoDealerWork);

        Assert.Equal(2, run.Results.Length);
    }

    [Fact]
    public void ProviderWithoutBinaryMaterial_ThrowsNotSupported()
    {
        ICorrelationProvider provider = new ArithmeticOnlyProvider();
        Assert.Throws<NotSupportedException>(() => provider.GetAndTripleAsync(1));
        Assert.Throws<NotSupportedException>(() => provider.GetEdaBitsAsync(1));
        Assert.Throws<NotSupportedException>(() => provider.GetDaBitsAsync(1));
    }

    private sealed class ArithmeticOnlyProvider : ICorrelationProvider
    {
        public ValueTask InitializeAsync(MpcSession session, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<BeaverTriple> GetTripleAsync(TripleRequest request, CancellationToken cancellationToken = default) =>
            throw new NotImplementedException();

        public ValueTask<TruncationPair> GetTruncationPairAsync(int count, int shift, CancellationToken cancellationToken = default) =>
            throw new NotImplementedException();

        public void Dispose()
        {
        }
    }
}
