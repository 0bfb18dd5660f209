using Tessera.NN;
using Tessera.TestUtilities;

namespace Tessera.Core.Tests.NN;

public class ModuleTests
{
    private static SeededRandomSource Rng(ulong seed = 1) => new(seed);

    [Fact]
    public void Linear_Forward_IsAffine()
    {
        var layer = new Linear(3, 2, random: Rng());
        var x = Tensor.Uniform([4, 3], Rng(2));
        var expected = x.MatMul(layer.Weight.T).Add(layer.Bias!);
        Assert.True(layer.Forward(x).AllClose(expected));
    }

    [Fact]
    public void Linear_DefaultInit_WithinPyTorchBound()
    {
        var layer = new Linear(100, 50, random: Rng());
        Assert.All(layer.Weight.ToArray<float>(), w => Assert.InRange(w, -0.1f, 0.1f));
        Assert.All(layer.Bias!.ToArray<float>(), w => Assert.InRange(w, -0.1f, 0.1f));
        Assert.InRange(layer.Weight.Std().Item(), 0.1 / Math.Sqrt(3) * 0.9, 0.1 / Math.Sqrt(3) * 1.1);
    }

    [Fact]
    public void Linear_WrongInput_ThrowsWithShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Linear(3, 2).Forward(Tensor.Zeros([4, 5])));
        Assert.Contains("[4, 5]", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(-1, 1)]
    public void Linear_BadSizes_Throw(int i, int o) => Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(i, o));

    [Fact]
    public void Linear_Gradient_MatchesFiniteDifferences()
    {
        var layer = new Linear(3, 2, random: Rng());
        var w = layer.Weight;
        var b = layer.Bias!;
        GradientCheck.Assert(x => x[0].MatMul(x[1].T).Add(x[2]).Tanh(),
            [GradientCheck.Random([4, 3], 1), w.Detach().To(DType.Float64).Clone().WithGrad(), b.Detach().To(DType.Float64).Clone().WithGrad()]);
    }

    [Fact]
    public void Sequential_NamesParametersByIndex()
    {
        var model = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1, bias: false));
        Assert.Equal(new[] { "0.weight", "0.bias", "2.weight" }, model.NamedParameters().Select(p => p.Name).ToArray());
        Assert.Equal(2 * 3 + 3 + 3, model.ParameterCount());
    }

    [Fact]
    public void StateDict_RoundTripsIntoFreshModel()
    {
        var a = Models.Mlp([4, 8, 3], Rng(1));
        var b = Models.Mlp([4, 8, 3], Rng(2));
        b.LoadStateDict(a.StateDict());
        var x = Tensor.Uniform([5, 4], Rng(3));
        Assert.Equal(a.Forward(x).ToArray<float>(), b.Forward(x).ToArray<float>());
    }

    [Fact]
    public void LoadStateDict_WrongShape_ThrowsAndChangesNothing()
    {
        var model = Models.Mlp([4, 8, 3], Rng(1));
        var before = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray<float>());
        var bad = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        bad["1.bias"] = Tensor.Zeros([8]);
        bad["3.bias"] = Tensor.Zeros([4]);
        Assert.Throws<ArgumentException>(() => model.LoadStateDict(bad));
        Assert.All(model.StateDict(), kv => Assert.Equal(before[kv.Key], kv.Value.ToArray<float>()));
    }

    [Fact]
    public void LoadStateDict_MissingKey_StrictThrows_LooseAccepts()
    {
        var model = Models.Mlp([2, 2], Rng(1));
        var partial = new Dictionary<string, Tensor> { ["1.weight"] = Tensor.Ones([2, 2]) };
        Assert.Throws<ArgumentException>(() => model.LoadStateDict(partial));
        model.LoadStateDict(partial, strict: false);
        Assert.All(model.StateDict()["1.weight"].ToArray<float>(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void TrainEval_Propagates()
    {
        var model = new Sequential(new Dropout(0.5), new Sequential(new Dropout(0.1)));
        model.Eval();
        Assert.All(model.NamedChildren(), c => Assert.False(c.Module.IsTraining));
        model.Train();
        Assert.True(((Sequential)model.Layers[1]).Layers[0].IsTraining);
    }

    [Fact]
    public void Dropout_EvalIsIdentity_TrainScales()
    {
        var d = new Dropout(0.5, Rng());
        var x = Tensor.Ones([10000]);
        var y = d.Forward(x).ToArray<float>();
        Assert.All(y, v => Assert.True(v == 0 || v == 2));
        Assert.InRange(y.Average(), 0.9, 1.1);
        d.Eval();
        Assert.Same(x, d.Forward(x));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Dropout_BadProbability_Throws(double p) => Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(p));

    [Fact]
    public void BatchNorm1d_Training_NormalizesAndTracksRunningStats()
    {
        var bn = new BatchNorm1d(3);
        var x = Tensor.Normal([64, 3], Rng(), 5, 2);
        var y = bn.Forward(x);
        Assert.All(y.Mean(0).ToArray<float>(), v => Assert.InRange(v, -1e-4f, 1e-4f));
        Assert.All(y.Var([0], unbiased: false).ToArray<float>(), v => Assert.InRange(v, 0.99f, 1.001f));
        Assert.All(bn.RunningMean.ToArray<float>(), v => Assert.InRange(v, 0.4f, 0.6f));
        bn.Eval();
        var z = bn.Forward(x);
        Assert.Equal(new[] { 64, 3 }, z.ShapeToArray());
    }

    [Fact]
    public void BatchNorm2d_Gradient_MatchesFiniteDifferences()
    {
        var bn = new BatchNorm2d(2, affine: false);
        GradientCheck.Assert(x => bn.Forward(x[0]), [GradientCheck.Random([3, 2, 2, 2], 5)], tolerance: 1e-4);
    }

    [Fact]
    public void BatchNorm2d_WrongChannels_Throws() => Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(Tensor.Zeros([2, 2, 2, 2])));

    [Fact]
    public void BatchNorm_OneValuePerChannel_Throws() => Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(Tensor.Zeros([1, 3])));

    [Fact]
    public void LayerNorm_NormalizesLastDim()
    {
        var ln = new LayerNorm(5);
        var y = ln.Forward(Tensor.Uniform([4, 5], Rng(), 0, 10));
        Assert.All(y.Mean(1).ToArray<float>(), v => Assert.InRange(v, -1e-5f, 1e-5f));
    }

    [Fact]
    public void LayerNorm_Gradient_MatchesFiniteDifferences()
    {
        var ln = new LayerNorm([3], elementwiseAffine: false);
        GradientCheck.Assert(x => ln.Forward(x[0]), [GradientCheck.Random([2, 3], 9)], tolerance: 1e-4);
    }

    [Fact]
    public void LayerNorm_WrongTrailing_Throws() => Assert.Throws<ArgumentException>(() => new LayerNorm(5).Forward(Tensor.Zeros([2, 4])));

    [Fact]
    public void Embedding_LooksUpRows()
    {
        var e = new Embedding(10, 3, Rng());
        var y = e.Forward(Tensor.FromArray(new long[] { 1, 1, 9, 0 }, 2, 2));
        Assert.Equal(new[] { 2, 2, 3 }, y.ShapeToArray());
        Assert.Equal(e.Weight[9].ToArray<float>(), y[1][0].ToArray<float>());
    }

    [Fact]
    public void Embedding_FloatIndices_Throws() => Assert.Throws<ArgumentException>(() => new Embedding(3, 2).Forward(Tensor.Zeros([1])));

    [Fact]
    public void Activations_MatchTensorOps()
    {
        var x = Tensor.Uniform([3, 4], Rng(), -2, 2);
        Assert.Equal(x.Relu().ToArray<float>(), new ReLU().Forward(x).ToArray<float>());
        Assert.Equal(x.Sigmoid().ToArray<float>(), new Sigmoid().Forward(x).ToArray<float>());
        Assert.Equal(x.Tanh().ToArray<float>(), new Tanh().Forward(x).ToArray<float>());
        Assert.Equal(x.Gelu().ToArray<float>(), new GELU().Forward(x).ToArray<float>());
        Assert.Equal(x.LeakyRelu(0.3).ToArray<float>(), new LeakyReLU(0.3).Forward(x).ToArray<float>());
        Assert.Equal(x.Softmax(0).ToArray<float>(), new Softmax(0).Forward(x).ToArray<float>());
        Assert.Equal(x.LogSoftmax(1).ToArray<float>(), new LogSoftmax(1).Forward(x).ToArray<float>());
        Assert.Equal(new[] { 3, 4 }, new Flatten().Forward(x).ShapeToArray());
    }

    [Fact]
    public void LeakyReLU_NaNSlope_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => new LeakyReLU(double.NaN));

    [Fact]
    public void ZeroGrad_ClearsGradients()
    {
        var model = Models.Mlp([2, 1], Rng());
        model.Forward(Tensor.Ones([1, 2])).Sum().Backward();
        Assert.All(model.Parameters(), p => Assert.NotNull(p.Grad));
        model.ZeroGrad();
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void Models_Mlp_BadSizes_Throw() => Assert.Throws<ArgumentException>(() => Models.Mlp([3]));
}
