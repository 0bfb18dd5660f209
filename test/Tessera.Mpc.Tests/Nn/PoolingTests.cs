namespace Tessera.Mpc.Tests.Nn;

/// <summary>Max pooling, average pooling and argmax against plaintext, ties included, with 2 and 3 parties.</summary>
public sealed class PoolingTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task MaxPool2dAsync_WithTiesAndNegatives_IsExact(int parties)
    {
        // Values on the 2^-16 grid, with ties inside windows and all-negative windows: max pooling is exact.
        var values = Enumerable.Range(0, 2 * 3 * 5 * 5).Select(i => ((i * 7 % 11) - 6) * 0.25).ToArray();
        var input = Tensor.FromArray(values, 2, 3, 5, 5);
        var expected = new Tessera.NN.MaxPool2d((3, 3), (2, 2), (1, 1)).Forward(input).ToArray<double>();
        var expected2 = new Tessera.NN.MaxPool2d(2).Forward(input).ToArray<double>();
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? input : null, 2, 3, 5, 5);
            var a = await x.MaxPool2dAsync((3, 3), (2, 2), (1, 1));
            var b = await x.MaxPool2dAsync((2, 2));
            return ((await a.DecryptAsync()).ToArray<double>(), (await b.DecryptAsync()).ToArray<double>(), b.Shape.ToArray());
        });

        foreach (var (a, b, shape) in run.Results)
        {
            Assert.Equal(expected, a);
            Assert.Equal(expected2, b);
            Assert.Equal([2, 3, 2, 2], shape);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task MaxPool2dAsync_2x2_Takes2MaximaOf8Rounds(int parties)
    {
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Tensor.Ones([1, 1, 4, 4], DType.Float64) : null, 1, 1, 4, 4);
            var before = session.Communicator.Statistics.Rounds;
            await x.MaxPool2dAsync((2, 2));
            return session.Communicator.Statistics.Rounds - before;
        });

        Assert.All(run.Results, rounds => Assert.Equal(16, rounds));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task AvgPool2dAsync_MatchesPlaintextWithin1e4(int parties)
    {
        var values = MpcHarness.Uniform(2 * 2 * 6 * 6, -3, 3, 5);
        var input = Tensor.FromArray(values, 2, 2, 6, 6);
        var expected = new Tessera.NN.AvgPool2d((3, 3), (3, 3), (1, 1)).Forward(input).ToArray<double>();
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? input : null, 2, 2, 6, 6);
            return (await (await x.AvgPool2dAsync((3, 3), null, (1, 1))).DecryptAsync()).ToArray<double>();
        });

        foreach (var actual in run.Results)
        {
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], actual[i], 1e-4);
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ArgMaxAsync_WithTies_PicksTheFirstLikePlaintext(int parties)
    {
        double[][] rows =
        [
            [1, 3, 3, 0, -2],
            [2, 2, 2, 2, 2],
            [-5, -1.5, -1.5, -7, -1.25],
            [0.5, 0.25, 0.125, 0.5, 0.0625],
            [-1, -2, -3, -4, 9.75],
            [4, 1, 4, 1, 4],
            [0, 0, 0, 0, 1e-4],
        ];
        var random = new Random(3);
        rows = [.. rows, .. Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, 5).Select(_ => Math.Round(random.NextDouble() * 8 - 4, 1)).ToArray())];
        var flat = rows.SelectMany(r => r).ToArray();
        var input = Tensor.FromArray(flat, rows.Length, 5);
        var expected = input.ArgMax(-1).ToArray<long>();
        var run = await MpcHarness.RunAsync(parties, async session =>
        {
            var x = EncryptedTensor.Encrypt(session, parties - 1, session.Rank == parties - 1 ? input : null, rows.Length, 5);
            var oneHot = await x.ArgMaxAsync();
            var index = await x.ArgMaxIndexAsync();
            return ((await oneHot.DecryptAsync()).ToArray<double>(), (await index.DecryptAsync()).ToArray<double>());
        });

        foreach (var (oneHot, index) in run.Results)
        {
            for (var r = 0; r < rows.Length; r++)
            {
                Assert.Equal(expected[r], index[r]);
                for (var j = 0; j < 5; j++)
                {
                    Assert.Equal(j == expected[r] ? 1.0 : 0.0, oneHot[(r * 5) + j]);
                }
            }
        }
    }

    [Fact]
    public async Task ArgMaxAsync_Takes9RoundsPerLevel()
    {
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var x = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Tensor.Zeros([3, 10], DType.Float64) : null, 3, 10);
            var before = session.Communicator.Statistics.Rounds;
            await x.ArgMaxAsync();
            return session.Communicator.Statistics.Rounds - before;
        });

        Assert.All(run.Results, rounds => Assert.Equal(9 * 4, rounds));
    }

    [Fact]
    public async Task MaxPool2dAsync_NotImages_ThrowsWithShape()
    {
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var x = EncryptedTensor.Encrypt(session, 0, session.Rank == 0 ? Tensor.Zeros([4, 4], DType.Float64) : null, 4, 4);
            return await Record.ExceptionAsync(async () => await x.MaxPool2dAsync((2, 2)));
        });

        Assert.All(run.Results, e => Assert.Contains("MaxPool2d expects [N, C, H, W], got [4, 4]", e!.Message, StringComparison.Ordinal));
    }
}
