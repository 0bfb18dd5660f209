using Tessera.NN;
using Tessera.Privacy.Training;

namespace Tessera.Privacy.Tests.Training;

public sealed class GradSampleModuleRefusalTests
{
    [Fact]
    public void Constructor_BatchNorm_ThrowsNamingTheLayer()
    {
        var model = new Sequential(new NN.Conv2d(1, 4, 3), new BatchNorm2d(4), new ReLU());

        var error = Assert.Throws<NotSupportedException>(() => new GradSampleModule(model));

        Assert.Contains("'1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("BatchNorm2d", error.Message, StringComparison.Ordinal);
        Assert.Contains("GroupNorm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NestedBatchNorm_ThrowsNamingTheLayer()
    {
        var model = new Sequential(new Linear(3, 4), new Sequential(new BatchNorm1d(4)));

        var error = Assert.Throws<NotSupportedException>(() => new GradSampleModule(model));

        Assert.Contains("'1.0'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TrainableLayerWithoutPerSampleSupport_ThrowsNamingTheLayer()
    {
        var model = new Sequential(new Linear(3, 4), new LayerNorm(4));

        var error = Assert.Throws<NotSupportedException>(() => new GradSampleModule(model));

        Assert.Contains("'1' (LayerNorm)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ParameterFreeLayerNorm_IsAccepted()
    {
        var model = new Sequential(new Linear(3, 4), new LayerNorm([4], elementwiseAffine: false));

        var module = new GradSampleModule(model);

        Assert.Equal(2, module.Parameters.Count);
    }

    [Fact]
    public void Constructor_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new GradSampleModule(null!));
    }

    [Fact]
    public void Forward_EmptyBatch_Throws()
    {
        var module = new GradSampleModule(new Sequential(new Linear(3, 2)));

        Assert.Throws<ArgumentException>(() => module.Forward(Tensor.Zeros([0, 3])));
    }

    [Fact]
    public void Constructor_LayerUsedTwice_Throws()
    {
        var shared = new Linear(3, 3);

        var error = Assert.Throws<NotSupportedException>(() => new GradSampleModule(new Sequential(shared, shared)));

        Assert.Contains("twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteScaledSum_WrongCount_Throws()
    {
        var module = new GradSampleModule(new Sequential(new Linear(3, 2)));
        module.Forward(Tensor.Ones([2, 3]));

        Assert.Throws<ArgumentException>(() => module.WriteScaledSum([1.0]));
    }
}
