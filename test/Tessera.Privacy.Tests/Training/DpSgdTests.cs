using Tessera.NN;
using Tessera.Optim;
using Tessera.Privacy.Training;

namespace Tessera.Privacy.Tests.Training;

public sealed class DpSgdTests
{
    [Fact]
    public void Step_WithoutNoise_GradientIsSumOfClippedPerSampleGradients()
    {
        var random = new SeededRandomSource(11);
        var model = new Sequential(new NN.Conv2d(1, 3, 3, random: random), new Flatten(), new Linear(3 * 3 * 3, 4, random: random));
        var module = new GradSampleModule(model);
        var dp = new DpSgd(module, new Sgd(module.Parameters, 1e-9), noiseMultiplier: 0, maxGradNorm: 0.05, expectedBatchSize: 1);
        PerSampleGradientTests.Backward(module, PerSampleGradientTests.RandomTensor(random, 6, 1, 5, 5).Mul(10),
            PerSampleGradientTests.Targets(random, 6, 4));
        var norms = module.PerSampleNorms();
        var perSample = module.PerSampleGradients();

        dp.Step();

        Assert.All(norms, n => Assert.True(n > 0.05, $"every sample should need clipping, norm {n}"));
        Assert.Equal(1.0, dp.LastClippedFraction);
        for (var p = 0; p < perSample.Count; p++)
        {
            var all = perSample[p].Gradient.Contiguous().ToArray<float>();
            var size = all.Length / 6;
            var actual = module.Parameters[p].Grad!.Contiguous().ToArray<float>();
            for (var j = 0; j < size; j++)
            {
                var expected = Enumerable.Range(0, 6).Sum(i => all[(i * size) + j] * 0.05 / (norms[i] + 1e-6));
                Assert.Equal(expected, actual[j], 1e-5);
            }
        }
    }

    [Fact]
    public void Step_SingleSamples_GradientNormNeverExceedsClippingNorm()
    {
        var random = new SeededRandomSource(12);
        var model = DpModels.SampleConvNet(random: random);
        var module = new GradSampleModule(model);
        var dp = new DpSgd(module, new Sgd(module.Parameters, 1e-9), noiseMultiplier: 0, maxGradNorm: 0.5, expectedBatchSize: 1);
        var inputs = PerSampleGradientTests.RandomTensor(random, 8, 1, 28, 28).Mul(3);
        var targets = PerSampleGradientTests.Targets(random, 8, 10);
        var clippedAny = false;

        for (var i = 0; i < 8; i++)
        {
            PerSampleGradientTests.Backward(module, inputs.Narrow(0, i, 1).Contiguous(), targets.Narrow(0, i, 1).Contiguous());
            var before = module.PerSampleNorms()[0];
            dp.Step();
            var after = Math.Sqrt(module.Parameters.Sum(p => p.Grad!.Contiguous().ToArray<float>().Sum(v => (double)v * v)));

            Assert.True(after <= 0.5 * (1 + 1e-5), $"sample {i}: clipped norm {after} exceeds 0.5");
            Assert.Equal(Math.Min(before, 0.5), after, 1e-4);
            clippedAny |= before > 0.5;
        }

        Assert.True(clippedAny);
    }

    [Fact]
    public void StepEmptyBatch_GradientIsNoiseWithStdSigmaCOverBatch()
    {
        // 20,000 coordinates: the sample standard deviation is within 4 * 0.5% of the truth except with probability 6e-5.
        var model = new Sequential(new Linear(200, 100, bias: false, random: new SeededRandomSource(13)));
        var module = new GradSampleModule(model);
        var dp = new DpSgd(module, new Sgd(module.Parameters, 1e-9), noiseMultiplier: 1.5, maxGradNorm: 2, expectedBatchSize: 4,
            noiseSource: new SeededRandomSource(14));

        dp.StepEmptyBatch();

        var noise = model.Parameters().Single().Grad!.Contiguous().ToArray<float>();
        var mean = noise.Average(v => (double)v);
        var std = Math.Sqrt(noise.Sum(v => (v - mean) * (v - mean)) / (noise.Length - 1));
        var expected = 1.5 * 2 / 4;
        Assert.Equal(0, mean, 4 * expected / Math.Sqrt(noise.Length));
        Assert.Equal(expected, std, 4 * 0.005 * expected);
    }

    [Fact]
    public void GaussianNoise_StandardNormal_MomentsAndTailsMatch()
    {
        // 200,000 draws; each bound is at least 4.5 standard errors, so a false alarm has probability below 1e-4.
        var values = new double[200_000];
        GaussianNoise.Add(values.AsSpan(), 1.0, new SeededRandomSource(15));

        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        var fourth = values.Average(v => Math.Pow(v - mean, 4));
        var beyond2 = values.Count(v => Math.Abs(v) > 2) / (double)values.Length;
        Assert.Equal(0, mean, 0.01);
        Assert.Equal(1, variance, 0.015);
        Assert.Equal(3, fourth, 0.1);
        Assert.Equal(0.0455, beyond2, 0.0025);
    }

    [Fact]
    public void Constructor_OptimizerOverOtherParameters_Throws()
    {
        var module = new GradSampleModule(new Sequential(new Linear(3, 2)));
        var other = new Linear(3, 2);

        Assert.Throws<ArgumentException>(() => new DpSgd(module, new Sgd(other.Parameters(), 0.1), 1, 1, 10));
    }

    [Theory]
    [InlineData(-1, 1, 10)]
    [InlineData(double.NaN, 1, 10)]
    [InlineData(1, 0, 10)]
    [InlineData(1, 1, 0)]
    public void Constructor_OutOfRange_Throws(double sigma, double clip, double batch)
    {
        var module = new GradSampleModule(new Sequential(new Linear(3, 2)));

        Assert.Throws<ArgumentOutOfRangeException>(() => new DpSgd(module, new Sgd(module.Parameters, 0.1), sigma, clip, batch));
    }

    [Fact]
    public void TrainEpoch_TinySampleRate_TakesNoiseStepsOnEmptyBatches()
    {
        var random = new SeededRandomSource(16);
        var model = new Sequential(new Linear(3, 2, random: random));
        var module = new GradSampleModule(model);
        var before = model.Parameters().First().Contiguous().ToArray<float>();
        var data = new Data.TensorDataset(PerSampleGradientTests.RandomTensor(random, 4, 3), PerSampleGradientTests.Targets(random, 4, 2));
        var loader = new PoissonDataLoader(data, 0.05, new SeededRandomSource(17));
        var dp = new DpSgd(module, new Sgd(module.Parameters, 0.1), 1, 1, loader.ExpectedBatchSize, new SeededRandomSource(18));
        var steps = 0;

        var result = DpSgdTrainer.TrainEpoch(module, loader, new CrossEntropyLoss(Reduction.Sum), dp, () => steps++);

        Assert.Equal(20, steps);
        Assert.True(result.Samples < 20);
        Assert.NotEqual(before, model.Parameters().First().Contiguous().ToArray<float>());
    }

    [Fact]
    public void TrainEpoch_MeanLoss_Throws()
    {
        var module = new GradSampleModule(new Sequential(new Linear(3, 2)));
        var data = new Data.TensorDataset(Tensor.Ones([4, 3]), Tensor.Zeros([4], DType.Int64));
        var loader = new PoissonDataLoader(data, 0.5);
        var dp = new DpSgd(module, new Sgd(module.Parameters, 0.1), 1, 1, 2);

        Assert.Throws<ArgumentException>(() => DpSgdTrainer.TrainEpoch(module, loader, new CrossEntropyLoss(), dp));
    }
}
