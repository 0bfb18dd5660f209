namespace Tessera.Mpc.Tests.Nn;

/// <summary><see cref="EncryptedTensor.Expand"/> against <see cref="Tensor"/>'s Expand (exact: shares are only repeated).</summary>
public sealed class ExpandTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Expand_SizeOneAndNewLeadingDims_MatchesPlaintext(int parties)
    {
        var value = Tensor.FromArray(new[] { 1.5, -2, 0.25 }, 1, 3, 1);
        var expected = value.Expand(2, 2, 3, 4).Contiguous().ToArray<double>();
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? value : null, 1, 3, 1);
            var y = x.Expand(2, 2, -1, 4);
            return (y.Shape.ToArray(), (await y.DecryptAsync()).ToArray<double>(),
                Record.Exception(() => x.Expand(2, 4, 4))?.Message);
        });

        foreach (var (shape, values, error) in run.Results)
        {
            Assert.Equal([2, 2, 3, 4], shape);
            Assert.Equal(expected, values);
            Assert.Contains("Cannot expand [1, 3, 1] to [2, 4, 4]", error, StringComparison.Ordinal);
        }
    }
}
