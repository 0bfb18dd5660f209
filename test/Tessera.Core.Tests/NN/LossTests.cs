using Tessera.NN;
using Tessera.TestUtilities;

namespace Tessera.Core.Tests.NN;

public class LossTests
{
    [Fact]
    public void CrossEntropy_MatchesHandComputed()
    {
        var logits = Tensor.FromArray(new double[] { 1, 2, 3, 1, 1, 1 }, 2, 3);
        var target = Tensor.FromArray(new long[] { 2, 0 }, 2);
        var expected = ((-3 + Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3))) + Math.Log(3)) / 2;
        Assert.Equal(expected, new CrossEntropyLoss().Forward(logits, target).Item(), 12);
    }

    [Fact]
    public void CrossEntropy_Gradient_IsSoftmaxMinusOneHot()
    {
        GradientCheck.Assert(x => new CrossEntropyLoss(Reduction.None).Forward(x[0], Tensor.FromArray(new long[] { 1, 0, 2 }, 3)),
            [GradientCheck.Random([3, 4], 3)]);
    }

    [Fact]
    public void CrossEntropy_Reductions()
    {
        var logits = Tensor.Uniform([4, 3], new SeededRandomSource(1), dtype: DType.Float64);
        var t = Tensor.FromArray(new long[] { 0, 1, 2, 0 }, 4);
        var none = new CrossEntropyLoss(Reduction.None).Forward(logits, t);
        Assert.Equal(new[] { 4 }, none.ShapeToArray());
        Assert.Equal(none.Sum().Item(), new CrossEntropyLoss(Reduction.Sum).Forward(logits, t).Item(), 12);
        Assert.Equal(none.Mean().Item(), new CrossEntropyLoss().Forward(logits, t).Item(), 12);
    }

    [Fact]
    public void CrossEntropy_TargetOutOfRange_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss().Forward(Tensor.Zeros([2, 3]), Tensor.FromArray(new long[] { 0, 3 }, 2)));
        Assert.Contains("3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CrossEntropy_WrongTargetDType_Throws() =>
        Assert.Throws<ArgumentException>(() => new CrossEntropyLoss().Forward(Tensor.Zeros([2, 3]), Tensor.Zeros([2])));

    [Fact]
    public void CrossEntropy_BatchMismatch_Throws() =>
        Assert.Throws<ArgumentException>(() => new CrossEntropyLoss().Forward(Tensor.Zeros([2, 3]), Tensor.Zeros([3], DType.Int64)));

    [Fact]
    public void Nll_PicksNegativeLogProb() =>
        Assert.Equal(2.5, new NllLoss().Forward(Tensor.FromArray(new float[] { -1, -2, -3, -4 }, 2, 2), Tensor.FromArray(new long[] { 1, 0 }, 2)).Item());

    [Fact]
    public void Mse_L1_Values()
    {
        var a = Tensor.FromArray(new float[] { 1, 2, 3 }, 3);
        var b = Tensor.FromArray(new float[] { 1, 4, 0 }, 3);
        Assert.Equal(13.0 / 3, new MseLoss().Forward(a, b).Item(), 5);
        Assert.Equal(5.0, new L1Loss(Reduction.Sum).Forward(a, b).Item(), 5);
    }

    [Fact]
    public void Mse_ShapeMismatch_ThrowsWithShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MseLoss().Forward(Tensor.Zeros([3]), Tensor.Zeros([4])));
        Assert.Contains("[3]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mse_Gradient_MatchesFiniteDifferences() =>
        GradientCheck.Assert(x => new MseLoss().Forward(x[0], x[1]), [GradientCheck.Random([5], 1), GradientCheck.Random([5], 2)]);

    [Fact]
    public void Bce_MatchesFormula()
    {
        var p = Tensor.FromArray(new double[] { 0.9, 0.2 }, 2);
        var t = Tensor.FromArray(new double[] { 1, 0 }, 2);
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.8)) / 2, new BceLoss().Forward(p, t).Item(), 12);
    }

    [Fact]
    public void Bce_ZeroProbability_ClampsAtHundred() =>
        Assert.Equal(100.0, new BceLoss().Forward(Tensor.FromArray(new double[] { 0 }, 1), Tensor.FromArray(new double[] { 1 }, 1)).Item(), 9);

    [Fact]
    public void Bce_NotProbability_Throws() =>
        Assert.Throws<ArgumentException>(() => new BceLoss().Forward(Tensor.FromArray(new float[] { 1.5f }, 1), Tensor.Ones([1])));

    [Fact]
    public void BceWithLogits_EqualsBceOfSigmoid_AndIsStable()
    {
        var x = Tensor.FromArray(new double[] { -3, 0.5, 4 }, 3);
        var t = Tensor.FromArray(new double[] { 0, 1, 1 }, 3);
        Assert.Equal(new BceLoss().Forward(x.Sigmoid(), t).Item(), new BceWithLogitsLoss().Forward(x, t).Item(), 10);
        var big = new BceWithLogitsLoss().Forward(Tensor.FromArray(new double[] { 1000 }, 1), Tensor.FromArray(new double[] { 0 }, 1)).Item();
        Assert.Equal(1000, big, 6);
    }

    [Fact]
    public void BceWithLogits_Gradient_MatchesFiniteDifferences() =>
        GradientCheck.Assert(x => new BceWithLogitsLoss().Forward(x[0], Tensor.FromArray(new double[] { 0, 1, 1, 0 }, 4)), [GradientCheck.Random([4], 5)]);
}
