using Tessera.Data;
using Tessera.Privacy.Training;

namespace Tessera.Privacy.Tests.Training;

public sealed class PoissonDataLoaderTests
{
    [Fact]
    public void SampleIndices_EachExample_IncludedWithProbabilityQ()
    {
        // 400 examples x 500 draws at q = 0.1: each count is Binomial(500, 0.1), sd 6.7; a bound of 5 sd over 400
        // examples gives a false alarm with probability below 2e-4. The batch sizes sum to Binomial(200,000, 0.1).
        var loader = new PoissonDataLoader(Dataset(400), 0.1, new SeededRandomSource(21));
        var counts = new int[400];
        long total = 0;
        for (var step = 0; step < 500; step++)
        {
            var indices = loader.SampleIndices();
            Assert.Equal(indices.Order(), indices);
            Assert.Equal(indices.Length, indices.Distinct().Count());
            foreach (var i in indices)
            {
                counts[i]++;
            }

            total += indices.Length;
        }

        Assert.All(counts, c => Assert.InRange(c, 50 - 34, 50 + 34));
        Assert.InRange(total, 20_000 - (5 * 134), 20_000 + (5 * 134));
    }

    [Fact]
    public void Enumerate_TinyRate_YieldsEmptyBatchesWithRightShapes()
    {
        var loader = new PoissonDataLoader(Dataset(3), 0.01, new SeededRandomSource(22));

        var batches = loader.ToList();

        Assert.Equal(100, loader.StepsPerEpoch);
        Assert.Equal(100, batches.Count);
        var empty = batches.First(b => b.Inputs.Size(0) == 0);
        Assert.Equal([0, 2], empty.Inputs.ShapeToArray());
        Assert.Equal([0], empty.Targets.ShapeToArray());
        Assert.Equal(DType.Int64, empty.Targets.DType);
        Assert.Contains(batches, b => b.Inputs.Size(0) > 0);
    }

    [Fact]
    public void Enumerate_RateOne_YieldsEveryExampleOnce()
    {
        var loader = new PoissonDataLoader(Dataset(5), 1.0);

        var batch = Assert.Single(loader);

        Assert.Equal(5, batch.Inputs.Size(0));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Constructor_RateOutOfRange_Throws(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PoissonDataLoader(Dataset(3), rate));
    }

    [Fact]
    public void Constructor_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new PoissonDataLoader(null!, 0.1));
    }

    private static TensorDataset Dataset(int count)
    {
        var inputs = new float[count * 2];
        var targets = new long[count];
        for (var i = 0; i < count; i++)
        {
            inputs[2 * i] = i;
            targets[i] = i % 2;
        }

        return new TensorDataset(Tensor.FromArray(inputs, count, 2), Tensor.FromArray(targets, count));
    }
}
