using Tessera.NN;

namespace Tessera.Core.Tests.NN;

public class InitAndConvModuleTests
{
    [Fact]
    public void KaimingUniformDefault_BoundIsOneOverSqrtFanIn()
    {
        var w = Init.KaimingUniformDefault([1000], 25, new SeededRandomSource(1));
        Assert.All(w.ToArray<float>(), v => Assert.InRange(v, -0.2f, 0.2f));
        Assert.True(w.Max().Item() > 0.19);
    }

    [Fact]
    public void KaimingNormal_HasHeStd() =>
        Assert.InRange(Init.KaimingNormal([20000], 50, new SeededRandomSource(2)).Std().Item(), 0.19, 0.21);

    [Fact]
    public void XavierUniform_Bound()
    {
        var w = Init.XavierUniform([5000], 10, 14, new SeededRandomSource(3));
        Assert.All(w.ToArray<float>(), v => Assert.InRange(v, -0.5f, 0.5f));
    }

    [Fact]
    public void Init_BadArguments_Throw()
    {
        var rng = new SeededRandomSource(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => Init.Uniform([1], -1, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => Init.KaimingUniformDefault([1], 0, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => Init.KaimingNormal([1], -3, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => Init.XavierUniform([1], 0, 0, rng));
    }

    [Fact]
    public void Conv2d_Module_MatchesTensorOp()
    {
        var conv = new Conv2d(2, 4, 3, stride: 1, padding: 1, random: new SeededRandomSource(1));
        var x = Tensor.Uniform([2, 2, 5, 5], new SeededRandomSource(2));
        Assert.Equal(x.Conv2d(conv.Weight, conv.Bias, 1, 1).ToArray<float>(), conv.Forward(x).ToArray<float>());
        Assert.Equal(new[] { 4, 2, 3, 3 }, conv.Weight.ShapeToArray());
    }

    [Fact]
    public void Conv2d_Module_GroupsAndSpecRoundTrip()
    {
        var conv = new Conv2d(4, 8, (3, 1), (2, 1), (1, 0), (1, 1), groups: 2, bias: false);
        Assert.Equal(new[] { 8, 2, 3, 1 }, conv.Weight.ShapeToArray());
        Assert.Null(conv.Bias);
        var json = conv.ToSpec().ToJson();
        Assert.Equal(json, ModuleFactory.FromJson(json).ToSpec().ToJson());
    }

    [Fact]
    public void Conv2d_Module_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(0, 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(1, 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(1, 1, 0));
        Assert.Throws<ArgumentException>(() => new Conv2d(3, 4, (3, 3), groups: 2));
    }

    [Fact]
    public void Pool_Modules_MatchTensorOps()
    {
        var x = Tensor.Uniform([1, 2, 6, 6], new SeededRandomSource(4));
        Assert.Equal(x.MaxPool2d(2).ToArray<float>(), new MaxPool2d(2).Forward(x).ToArray<float>());
        Assert.Equal(x.AvgPool2d(3, 1).ToArray<float>(), new AvgPool2d(3, 1).Forward(x).ToArray<float>());
        var json = new MaxPool2d((3, 2), (1, 2), (1, 0)).ToSpec().ToJson();
        Assert.Equal(json, ModuleFactory.FromJson(json).ToSpec().ToJson());
    }

    [Fact]
    public void Pool_Modules_BadKernel_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2d(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AvgPool2d((2, -1)));
    }

    [Fact]
    public void LeNet5_OutputsTenLogitsAndRoundTripsSpec()
    {
        var net = Models.LeNet5(random: new SeededRandomSource(1));
        Assert.Equal(new[] { 3, 10 }, net.Forward(Tensor.Zeros([3, 1, 28, 28])).ShapeToArray());
        Assert.Equal(61706, net.ParameterCount());
        var rebuilt = ModuleFactory.Create(net.ToSpec());
        rebuilt.LoadStateDict(net.StateDict());
        var x = Tensor.Uniform([2, 1, 28, 28], new SeededRandomSource(2));
        Assert.Equal(net.Forward(x).ToArray<float>(), rebuilt.Forward(x).ToArray<float>());
    }

    [Fact]
    public void Module_DuplicateRegistration_Throws() => Assert.Throws<ArgumentException>(() => new DoubleRegistration());

    private sealed class DoubleRegistration : Module
    {
        public DoubleRegistration()
        {
            RegisterParameter("w", Tensor.Zeros([1]));
            RegisterBuffer("w", Tensor.Zeros([1]));
        }

        public override Tensor Forward(Tensor input) => input;

        public override ModuleSpec ToSpec() => new("DoubleRegistration");
    }
}

public class ModelWeightsRoundTripTests
{
    [Fact]
    public void LeNet5_StateDict_RoundTripsThroughSafeTensors()
    {
        var net = Models.LeNet5(random: new SeededRandomSource(5));
        using var stream = new MemoryStream();
        Tessera.Serialization.SafeTensors.Write(stream, net.StateDict(), new Dictionary<string, string> { ["tessera.spec"] = net.ToSpec().ToJson() });
        stream.Position = 0;
        var file = Tessera.Serialization.SafeTensors.Read(stream, "lenet.safetensors");
        var rebuilt = ModuleFactory.FromJson(file.Metadata["tessera.spec"]);
        rebuilt.LoadStateDict(file.Tensors);
        var x = Tensor.Uniform([2, 1, 28, 28], new SeededRandomSource(6));
        Assert.Equal(net.Forward(x).ToArray<float>(), rebuilt.Forward(x).ToArray<float>());
    }
}
