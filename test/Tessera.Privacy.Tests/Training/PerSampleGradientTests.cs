using Tessera.NN;
using Tessera.Privacy.Training;

namespace Tessera.Privacy.Tests.Training;

public sealed class PerSampleGradientTests
{
    private const double Tolerance = 1e-4;

    [Fact]
    public void PerSampleGradients_Linear_MatchOneBackwardPerSample()
    {
        var random = new SeededRandomSource(1);
        var model = new Sequential(new Linear(7, 5, random: random), new Tanh(), new Linear(5, 3, random: random));

        AssertMatchesPerSampleBackward(model, RandomTensor(random, 6, 7), Targets(random, 6, 3));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(9)]
    public void PerSampleGradients_LinearOverSequence_MatchOneBackwardPerSample(int steps)
    {
        // 3 steps take the ghost norm (T^2 <= in * out), 9 steps materialise each sample's gradient.
        var random = new SeededRandomSource(2);
        var model = new Sequential(new Linear(4, 2, random: random), new Flatten(), new Linear(2 * steps, 3, random: random));

        AssertMatchesPerSampleBackward(model, RandomTensor(random, 5, steps, 4), Targets(random, 5, 3));
    }

    [Fact]
    public void PerSampleGradients_Conv2dStridePaddingDilationGroups_MatchOneBackwardPerSample()
    {
        var random = new SeededRandomSource(3);
        var model = new Sequential(
            new NN.Conv2d(4, 6, (3, 2), stride: (2, 1), padding: (1, 2), dilation: (1, 2), groups: 2, random: random),
            new Tanh(),
            new NN.Conv2d(6, 4, 3, stride: 1, padding: 0, random: random),
            new MaxPool2d(2),
            new Flatten(),
            new Linear(4 * 1 * 4, 3, random: random));

        AssertMatchesPerSampleBackward(model, RandomTensor(random, 5, 4, 9, 8), Targets(random, 5, 3));
    }

    [Fact]
    public void PerSampleGradients_SampleConvNet_MatchOneBackwardPerSample()
    {
        var random = new SeededRandomSource(4);
        var model = DpModels.SampleConvNet(random: random);

        AssertMatchesPerSampleBackward(model, RandomTensor(random, 3, 1, 28, 28), Targets(random, 3, 10));
    }

    [Fact]
    public void PerSampleNorms_EqualNormsOfMaterialisedGradients()
    {
        var random = new SeededRandomSource(5);
        var model = new Sequential(new NN.Conv2d(2, 3, 3, random: random), new Flatten(), new Linear(3 * 4 * 4, 2, random: random));
        var module = new GradSampleModule(model);
        Backward(module, RandomTensor(random, 4, 2, 6, 6), Targets(random, 4, 2));

        var norms = module.PerSampleNorms();
        var grads = module.PerSampleGradients();

        for (var i = 0; i < 4; i++)
        {
            var squared = grads.Sum(g => SquaredNorm(g.Gradient.Narrow(0, i, 1).Contiguous().ToArray<float>()));
            Assert.Equal(Math.Sqrt(squared), norms[i], 1e-4 * Math.Max(1, norms[i]));
        }
    }

    [Fact]
    public void WriteScaledSum_EqualsWeightedSumOfPerSampleGradients()
    {
        var random = new SeededRandomSource(6);
        var model = new Sequential(new NN.Conv2d(2, 3, 3, random: random), new Flatten(), new Linear(3 * 4 * 4, 2, random: random));
        var module = new GradSampleModule(model);
        Backward(module, RandomTensor(random, 4, 2, 6, 6), Targets(random, 4, 2));
        double[] scale = [0.5, -1, 2, 0.25];

        var grads = module.PerSampleGradients();
        module.WriteScaledSum(scale);

        Assert.Equal(module.Parameters.Count, grads.Count);
        for (var p = 0; p < grads.Count; p++)
        {
            var perSample = grads[p].Gradient.Contiguous().ToArray<float>();
            var size = perSample.Length / 4;
            var actual = module.Parameters[p].Grad!.Contiguous().ToArray<float>();
            for (var j = 0; j < size; j++)
            {
                var expected = 0.0;
                for (var i = 0; i < 4; i++)
                {
                    expected += scale[i] * perSample[(i * size) + j];
                }

                Assert.Equal(expected, actual[j], Tolerance * Math.Max(1, Math.Abs(expected)));
            }
        }
    }

    [Fact]
    public void Backward_ThroughGradSampleModule_LeavesBatchGradientUnformed()
    {
        var random = new SeededRandomSource(7);
        var model = new Sequential(new Linear(3, 2, random: random));
        var module = new GradSampleModule(model);

        Backward(module, RandomTensor(random, 4, 3), Targets(random, 4, 2));

        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void PerSampleGradients_FrozenParameter_IsLeftOut()
    {
        var random = new SeededRandomSource(8);
        var frozen = new Linear(3, 4, random: random);
        frozen.Weight.RequiresGrad = false;
        var model = new Sequential(frozen, new Tanh(), new Linear(4, 2, random: random));
        var module = new GradSampleModule(model);

        Assert.Equal(3, module.Parameters.Count);
        AssertMatchesPerSampleBackward(model, RandomTensor(random, 3, 3), Targets(random, 3, 2));
    }

    internal static Tensor RandomTensor(IRandomSource random, params int[] shape)
    {
        var data = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)random.NextGaussian();
        }

        return Tensor.FromArray(data, shape);
    }

    internal static Tensor Targets(IRandomSource random, int count, int classes)
    {
        var data = new long[count];
        for (var i = 0; i < count; i++)
        {
            data[i] = random.NextInt(classes);
        }

        return Tensor.FromArray(data, count);
    }

    internal static void Backward(GradSampleModule module, Tensor inputs, Tensor targets) =>
        new CrossEntropyLoss(Reduction.Sum).Forward(module.Forward(inputs), targets).Backward();

    private static double SquaredNorm(float[] values) => values.Sum(v => (double)v * v);

    private static void AssertMatchesPerSampleBackward(Module model, Tensor inputs, Tensor targets)
    {
        var module = new GradSampleModule(model);
        Backward(module, inputs, targets);
        var perSample = module.PerSampleGradients();
        var parameters = module.Parameters;
        Assert.Equal(parameters.Count, perSample.Count);
        var loss = new CrossEntropyLoss(Reduction.Sum);
        for (var i = 0; i < inputs.Size(0); i++)
        {
            model.ZeroGrad();
            loss.Forward(model.Forward(inputs.Narrow(0, i, 1).Contiguous()), targets.Narrow(0, i, 1).Contiguous()).Backward();
            for (var p = 0; p < parameters.Count; p++)
            {
                var expected = parameters[p].Grad!.Contiguous().ToArray<float>();
                var actual = perSample[p].Gradient.Narrow(0, i, 1).Contiguous().ToArray<float>();
                Assert.Equal(parameters[p].ShapeToArray(), perSample[p].Gradient.ShapeToArray()[1..]);
                for (var j = 0; j < expected.Length; j++)
                {
                    Assert.True(Math.Abs(expected[j] - actual[j]) <= Tolerance * Math.Max(1, Math.Abs(expected[j])),
                        $"{perSample[p].Name}, sample {i}, element {j}: per-sample {actual[j]}, one-sample backward {expected[j]}.");
                }
            }
        }

        model.ZeroGrad();
    }
}
