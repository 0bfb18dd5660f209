using Tessera.Data;

namespace Tessera.Core.Tests.Data;

public class DataLoaderTests
{
    private static TensorDataset Make(int n) => new(
        Tensor.FromArray(Enumerable.Range(0, n * 3).Select(i => (float)i).ToArray(), n, 3),
        Tensor.FromArray(Enumerable.Range(0, n).Select(i => (long)i).ToArray(), n));

    [Fact]
    public void TensorDataset_Indexer_ReturnsRowViews()
    {
        var (x, y) = Make(4)[2];
        Assert.Equal([6f, 7f, 8f], x.ToArray<float>());
        Assert.Equal(2.0, y.Item());
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(4)[4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(4)[-1]);
    }

    [Fact]
    public void TensorDataset_MismatchedOrScalar_Throws()
    {
        Assert.Throws<ArgumentException>(() => new TensorDataset(Tensor.Zeros([3, 2]), Tensor.Zeros([4])));
        Assert.Throws<ArgumentException>(() => new TensorDataset(Tensor.Scalar(1), Tensor.Zeros([1])));
        Assert.Throws<ArgumentNullException>(() => new TensorDataset(null!, Tensor.Zeros([1])));
    }

    [Fact]
    public void GetBatch_GathersRowsInOrder()
    {
        var (x, y) = Make(5).GetBatch([4, 0, 1, 2]);
        Assert.Equal([4, 3], x.ShapeToArray());
        Assert.True(x.IsContiguous);
        Assert.Equal([12f, 13, 14, 0, 1, 2, 3, 4, 5, 6, 7, 8], x.ToArray<float>());
        Assert.Equal([4L, 0, 1, 2], y.ToArray<long>());
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(5).GetBatch([5]));
        Assert.Throws<ArgumentException>(() => Make(5).GetBatch([]));
    }

    [Fact]
    public void TensorDataset_NonContiguousInputs_AreMadeContiguous()
    {
        var inputs = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2).Transpose(); // [2, 3]
        var data = new TensorDataset(inputs, Tensor.FromArray(new long[] { 0, 1 }, 2));
        Assert.Equal([2f, 4f, 6f], data.GetBatch([1]).Inputs.ToArray<float>());
    }

    [Fact]
    public void DataLoader_Sequential_YieldsAllBatchesWithShortLast()
    {
        var loader = new DataLoader(Make(7), 3);
        Assert.Equal(3, loader.BatchCount);
        var batches = loader.ToList();
        Assert.Equal([3, 3, 1], batches.Select(b => b.Targets.Size(0)));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), batches.SelectMany(b => b.Targets.ToArray<long>()));
    }

    [Fact]
    public void DataLoader_DropLast_SkipsShortBatch()
    {
        var loader = new DataLoader(Make(7), 3, dropLast: true);
        Assert.Equal(2, loader.BatchCount);
        Assert.Equal(2, loader.Count());
    }

    [Fact]
    public void DataLoader_Shuffle_IsPermutationReshuffledEachEpochAndReproducible()
    {
        var loader = new DataLoader(Make(50), 8, shuffle: true, random: new SeededRandomSource(7));
        var epoch1 = loader.SelectMany(b => b.Targets.ToArray<long>()).ToArray();
        var epoch2 = loader.SelectMany(b => b.Targets.ToArray<long>()).ToArray();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), epoch1.Order());
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), epoch2.Order());
        Assert.NotEqual(epoch1, epoch2);
        Assert.NotEqual(Enumerable.Range(0, 50).Select(i => (long)i), epoch1);

        var again = new DataLoader(Make(50), 8, shuffle: true, random: new SeededRandomSource(7));
        Assert.Equal(epoch1, again.SelectMany(b => b.Targets.ToArray<long>()));
    }

    [Fact]
    public void DataLoader_ShuffledBatches_KeepInputsPairedWithTargets()
    {
        foreach (var (x, y) in new DataLoader(Make(20), 6, shuffle: true, random: new SeededRandomSource(1)))
        {
            var xs = x.ToArray<float>();
            var ys = y.ToArray<long>();
            for (var i = 0; i < ys.Length; i++)
            {
                Assert.Equal(ys[i] * 3, xs[i * 3]);
            }
        }
    }

    [Fact]
    public void DataLoader_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new DataLoader(null!, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(Make(2), 0));
        Assert.Throws<ArgumentNullException>(() => new DataLoader(Make(2), 1, shuffle: true));
    }

    [Fact]
    public void Dataset_DefaultGetBatch_StacksExamplesAndChecksShapes()
    {
        var data = new Ragged();
        var (x, y) = data.GetBatch([0, 1]);
        Assert.Equal([2, 2], x.ShapeToArray());
        Assert.Equal([0f, 0, 1, 1], x.ToArray<float>());
        Assert.Equal([0L, 1], y.ToArray<long>());
        Assert.Contains("must match", Assert.Throws<ArgumentException>(() => data.GetBatch([0, 2])).Message);
    }

    [Fact]
    public void DataLoader_LargeBatches_AssembleFast()
    {
        // 60,000 MNIST-sized rows: one shuffled epoch must take well under a second (row copies, not element loops).
        var data = new TensorDataset(Tensor.Zeros([60_000, 784]), Tensor.Zeros([60_000], DType.Int64));
        var loader = new DataLoader(data, 128, shuffle: true, random: new SeededRandomSource(3));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var rows = loader.Sum(b => b.Inputs.Size(0));
        watch.Stop();
        Assert.Equal(60_000, rows);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"one epoch took {watch.Elapsed}");
    }

    /// <summary>A dataset with per-example tensors whose third example has a different shape.</summary>
    private sealed class Ragged : Dataset
    {
        public override int Count => 3;

        public override (Tensor Input, Tensor Target) this[int index]
        {
            get
            {
                CheckIndex(index);
                var width = index == 2 ? 3 : 2;
                return (Tensor.Full([width], index), Tensor.Scalar(index, DType.Int64));
            }
        }
    }
}
