using Tessera.Optim;

namespace Tessera.Core.Tests.Optim;

public class OptimizerTests
{
    private static Tensor Param(params double[] values) => Tensor.FromArray(values, values.Length).WithGrad();

    private static void SetGrad(Tensor p, params double[] g) => p.Grad = Tensor.FromArray(g, g.Length);

    [Fact]
    public void Sgd_Plain_StepsAgainstGradient()
    {
        var p = Param(1, 2);
        var opt = new Sgd([p], 0.1);
        SetGrad(p, 1, -2);
        opt.Step();
        Assert.Equal(new[] { 0.9, 2.2 }, p.ToArray<double>().Select(v => Math.Round(v, 12)).ToArray());
    }

    [Fact]
    public void Sgd_MomentumAndWeightDecay_MatchPyTorchRecurrence()
    {
        var p = Param(1.0);
        var opt = new Sgd([p], 0.1, momentum: 0.9, weightDecay: 0.01);
        double x = 1, buf = 0;
        for (var t = 0; t < 3; t++)
        {
            SetGrad(p, 0.5);
            opt.Step();
            var g = 0.5 + (0.01 * x);
            buf = t == 0 ? g : (0.9 * buf) + g;
            x -= 0.1 * buf;
        }

        Assert.Equal(x, p.Item(), 12);
    }

    [Fact]
    public void Sgd_Nesterov_MatchesRecurrence()
    {
        var p = Param(1.0);
        var opt = new Sgd([p], 0.1, momentum: 0.5, nesterov: true);
        double x = 1, buf = 0;
        for (var t = 0; t < 3; t++)
        {
            SetGrad(p, x);
            opt.Step();
            var g = x;
            buf = t == 0 ? g : (0.5 * buf) + g;
            x -= 0.1 * (g + (0.5 * buf));
        }

        Assert.Equal(x, p.Item(), 12);
    }

    [Fact]
    public void Adam_FirstStep_MovesByLearningRate()
    {
        var p = Param(1, -1);
        var opt = new Adam([p], 0.01);
        SetGrad(p, 3, -0.001);
        opt.Step();
        Assert.Equal(0.99, p.ToArray<double>()[0], 6);
        Assert.Equal(-0.99, p.ToArray<double>()[1], 4);
    }

    [Fact]
    public void Adam_ManySteps_MatchesScalarRecurrence()
    {
        var values = Enumerable.Range(0, 37).Select(i => (i - 18) / 10.0).ToArray();
        var p = Param(values);
        var opt = new Adam([p], 0.05, weightDecay: 0.1);
        var x = (double[])values.Clone();
        var m = new double[x.Length];
        var v = new double[x.Length];
        for (var t = 1; t <= 5; t++)
        {
            SetGrad(p, x.Select(xi => 2 * xi).ToArray());
            opt.Step();
            for (var i = 0; i < x.Length; i++)
            {
                var g = (2 * x[i]) + (0.1 * x[i]);
                m[i] = (0.9 * m[i]) + (0.1 * g);
                v[i] = (0.999 * v[i]) + (0.001 * g * g);
                var mh = m[i] / (1 - Math.Pow(0.9, t));
                var vh = v[i] / (1 - Math.Pow(0.999, t));
                x[i] -= 0.05 * mh / (Math.Sqrt(vh) + 1e-8);
            }
        }

        var actual = p.ToArray<double>();
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i], actual[i], 9);
        }
    }

    [Fact]
    public void AdamW_DecaysWeightsIndependentlyOfGradient()
    {
        var p = Param(1.0);
        var opt = new AdamW([p], 0.1, weightDecay: 0.5);
        SetGrad(p, 0);
        opt.Step();
        Assert.Equal(0.95, p.Item(), 9);
    }

    [Fact]
    public void Adam_Float32_Works()
    {
        var p = Tensor.Ones([20]).WithGrad();
        var opt = new Adam([p], 0.1);
        p.Grad = Tensor.Ones([20]);
        opt.Step();
        Assert.All(p.ToArray<float>(), v => Assert.Equal(0.9f, v, 5));
    }

    [Fact]
    public void Step_SkipsParametersWithoutGradient()
    {
        var p = Param(1);
        new Sgd([p], 0.1).Step();
        Assert.Equal(1.0, p.Item());
    }

    [Fact]
    public void Optimizer_EmptyParameters_Throws() => Assert.Throws<ArgumentException>(() => new Sgd([], 0.1));

    [Fact]
    public void Optimizer_NonLeaf_Throws() => Assert.Throws<ArgumentException>(() => new Sgd([Param(1).Mul(2)], 0.1));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Optimizer_BadLearningRate_Throws(double lr) => Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([Param(1)], lr));

    [Fact]
    public void Sgd_NesterovWithoutMomentum_Throws() => Assert.Throws<ArgumentException>(() => new Sgd([Param(1)], 0.1, nesterov: true));

    [Theory]
    [InlineData(1.0, 0.999)]
    [InlineData(0.9, -0.1)]
    public void Adam_BadBetas_Throw(double b1, double b2) => Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([Param(1)], 0.1, b1, b2));

    [Fact]
    public void StepLR_DecaysEveryStepSize()
    {
        var opt = new Sgd([Param(1)], 1);
        var s = new StepLR(opt, 2, 0.5);
        s.Step();
        Assert.Equal(1, opt.LearningRate);
        s.Step();
        Assert.Equal(0.5, opt.LearningRate);
        s.Step();
        s.Step();
        Assert.Equal(0.25, opt.LearningRate);
    }

    [Fact]
    public void CosineAnnealing_ReachesMinimum()
    {
        var opt = new Sgd([Param(1)], 1);
        var s = new CosineAnnealingLR(opt, 4, 0.01);
        s.Step();
        s.Step();
        Assert.Equal(0.505, opt.LearningRate, 9);
        s.Step();
        s.Step();
        Assert.Equal(0.01, opt.LearningRate, 9);
    }

    [Fact]
    public void Schedulers_BadArguments_Throw()
    {
        var opt = new Sgd([Param(1)], 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(opt, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(opt, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(opt, 0));
        Assert.Throws<ArgumentNullException>(() => new StepLR(null!, 1));
    }

    [Fact]
    public void Training_LearnsXor()
    {
        var rng = new SeededRandomSource(3);
        var model = Tessera.NN.Models.Mlp([2, 16, 2], rng);
        var x = Tensor.FromArray(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, 4, 2);
        var y = Tensor.FromArray(new long[] { 0, 1, 1, 0 }, 4);
        var opt = new Adam(model.Parameters(), 0.05);
        var loss = new Tessera.NN.CrossEntropyLoss();
        for (var i = 0; i < 300; i++)
        {
            opt.ZeroGrad();
            loss.Forward(model.Forward(x), y).Backward();
            opt.Step();
        }

        Assert.Equal(1.0, Tessera.Training.Trainer.Accuracy(model, [(x, y)]));
    }
}
