using Tessera.TestUtilities;

namespace Tessera.Core.Tests.Autograd;

public class GradientTests
{
    private static Tensor R(ulong seed, params int[] shape) => GradientCheck.Random(shape, seed);

    private static Tensor Positive(ulong seed, params int[] shape) => GradientCheck.Random(shape, seed, 0.5, 2);

    [Fact] public void Add_Broadcast_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Add(x[1]), [R(1, 3, 4), R(2, 4)]);

    [Fact] public void Sub_Broadcast_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Sub(x[1]), [R(1, 2, 3, 1), R(2, 3, 5)]);

    [Fact] public void Mul_Broadcast_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Mul(x[1]), [R(1, 3, 4), R(2, 3, 1)]);

    [Fact] public void Div_Broadcast_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Div(x[1]), [R(1, 3, 4), Positive(2, 4)]);

    [Fact] public void Pow_Tensor_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Pow(x[1]), [Positive(1, 5), R(2, 5)]);

    [Fact] public void PowScalar_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Pow(3.5), [Positive(1, 2, 3)]);

    [Fact] public void Maximum_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Maximum(x[1]), [R(1, 6), R(2, 6)]);

    [Fact] public void Minimum_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Minimum(x[1]), [R(1, 6), R(2, 6)]);

    [Fact] public void Neg_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Neg(), [R(1, 4)]);

    [Fact] public void Exp_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Exp(), [R(1, 2, 3)]);

    [Fact] public void Log_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Log(), [Positive(1, 2, 3)]);

    [Fact] public void Sqrt_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Sqrt(), [Positive(1, 7)]);

    [Fact] public void Reciprocal_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Reciprocal(), [Positive(1, 7)]);

    [Fact] public void Sin_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Sin(), [R(1, 7)]);

    [Fact] public void Cos_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Cos(), [R(1, 7)]);

    [Fact] public void Tanh_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Tanh(), [R(1, 7)]);

    [Fact] public void Sigmoid_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Sigmoid(), [R(1, 7)]);

    [Fact] public void Relu_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Relu(), [R(3, 9)]);

    [Fact] public void LeakyRelu_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].LeakyRelu(0.2), [R(3, 9)]);

    [Fact] public void Gelu_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Gelu(), [R(3, 9)], tolerance: 1e-5);

    [Fact] public void Abs_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Abs(), [R(4, 9)]);

    [Fact] public void Clamp_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Clamp(-0.5, 0.5), [R(4, 9)]);

    [Fact] public void Sum_Dims_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Sum([0, 2]), [R(1, 2, 3, 4)]);

    [Fact] public void Sum_KeepDim_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Sum(1, keepDim: true), [R(1, 2, 3, 4)]);

    [Fact] public void Mean_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Mean([1]), [R(1, 2, 3, 4)]);

    [Fact] public void Var_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Var([1]), [R(1, 3, 4)]);

    [Fact] public void Std_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Std([0], unbiased: false), [R(1, 5, 2)]);

    [Fact] public void MaxDim_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Max(1).Values, [R(1, 3, 5)]);

    [Fact] public void MinDim_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Min(0, keepDim: true).Values, [R(1, 3, 5)]);

    [Fact] public void LogSumExp_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].LogSumExp(1), [R(1, 3, 5)]);

    [Fact] public void Softmax_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Softmax(1), [R(1, 3, 5)]);

    [Fact] public void SoftmaxDim0_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Softmax(0), [R(1, 3, 5)]);

    [Fact] public void LogSoftmax_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].LogSoftmax(-1), [R(1, 4, 6)]);

    [Fact] public void MatMul_2D_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].MatMul(x[1]), [R(1, 3, 4), R(2, 4, 5)]);

    [Fact] public void MatMul_Batched_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].MatMul(x[1]), [R(1, 2, 3, 4), R(2, 4, 2)]);

    [Fact] public void MatMul_Vector_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].MatMul(x[1]), [R(1, 4), R(2, 4, 3)]);

    [Fact] public void MatMul_MatrixVector_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].MatMul(x[1]), [R(1, 3, 4), R(2, 4)]);

    [Fact] public void MatMul_Transposed_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].MatMul(x[1].T), [R(1, 3, 4), R(2, 5, 4)]);

    [Fact] public void Reshape_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Reshape(3, 4).Mul(x[0].Reshape(3, 4)), [R(1, 2, 6)]);

    [Fact] public void Permute_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Permute(2, 0, 1).Exp(), [R(1, 2, 3, 4)]);

    [Fact] public void Transpose_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Transpose(0, 1).Contiguous().Sin(), [R(1, 2, 3)]);

    [Fact] public void Narrow_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Narrow(1, 1, 2).Exp(), [R(1, 2, 4)]);

    [Fact] public void Slice_Step_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Slice(0, 0, 7, 3).Exp(), [R(1, 7, 2)]);

    [Fact] public void Select_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0][1].Exp(), [R(1, 3, 2)]);

    [Fact] public void SqueezeUnsqueeze_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Squeeze(1).Unsqueeze(0).Exp(), [R(1, 3, 1, 2)]);

    [Fact] public void Expand_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Expand(4, 3, 2).Exp(), [R(1, 3, 1)]);

    [Fact] public void Flatten_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Flatten(1).Exp(), [R(1, 2, 3, 2)]);

    [Fact] public void Cat_MatchesFiniteDifferences() => GradientCheck.Assert(x => Tensor.Cat([x[0], x[1]], 1).Exp(), [R(1, 2, 3), R(2, 2, 2)]);

    [Fact] public void Stack_MatchesFiniteDifferences() => GradientCheck.Assert(x => Tensor.Stack([x[0], x[1]], 1).Exp(), [R(1, 2, 3), R(2, 2, 3)]);

    [Fact] public void Split_MatchesFiniteDifferences() => GradientCheck.Assert(x => x[0].Split(2, 1)[1].Exp(), [R(1, 2, 5)]);

    [Fact]
    public void Where_MatchesFiniteDifferences()
    {
        var mask = Tensor.FromArray(new[] { true, false, true, false, false, true }, 2, 3);
        GradientCheck.Assert(x => Tensor.Where(mask, x[0], x[1]), [R(1, 2, 3), R(2, 3)]);
    }

    [Fact]
    public void MaskedFill_MatchesFiniteDifferences()
    {
        var mask = Tensor.FromArray(new[] { true, false, true }, 3);
        GradientCheck.Assert(x => x[0].MaskedFill(mask, 2.5), [R(1, 2, 3)]);
    }

    [Fact]
    public void IndexSelect_Repeated_MatchesFiniteDifferences()
    {
        var index = Tensor.FromArray(new long[] { 2, 0, 2 }, 3);
        GradientCheck.Assert(x => x[0].IndexSelect(0, index), [R(1, 3, 2)]);
    }

    [Fact]
    public void Gather_MatchesFiniteDifferences()
    {
        var index = Tensor.FromArray(new long[] { 0, 2, 1, 1 }, 2, 2);
        GradientCheck.Assert(x => x[0].Gather(1, index), [R(1, 2, 3)]);
    }

    [Fact] public void To_Float32RoundTrip_PassesGradient()
    {
        var x = GradientCheck.Random([4], 1);
        x.To(DType.Float32).Mul(2).Sum().Backward();
        Assert.Equal(new double[] { 2, 2, 2, 2 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Backward_SharedInput_AccumulatesBothPaths()
    {
        var x = Tensor.FromArray(new double[] { 3 }, 1).WithGrad();
        x.Mul(x).Add(x).Sum().Backward();
        Assert.Equal(7.0, x.Grad!.Item());
    }

    [Fact]
    public void Backward_Twice_AccumulatesIntoGrad()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 }, 2).WithGrad();
        x.Mul(3).Sum().Backward();
        x.Mul(3).Sum().Backward();
        Assert.Equal(new double[] { 6, 6 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void NoGrad_Scope_RecordsNothingAndRestores()
    {
        var x = Tensor.FromArray(new double[] { 1 }, 1).WithGrad();
        using (Tessera.Autograd.NoGrad())
        {
            Assert.False(x.Mul(2).RequiresGrad);
            Assert.False(Tessera.Autograd.IsEnabled);
        }

        Assert.True(Tessera.Autograd.IsEnabled);
        Assert.True(x.Mul(2).RequiresGrad);
    }

    [Fact]
    public void Detach_StopsGradient()
    {
        var x = Tensor.FromArray(new double[] { 2 }, 1).WithGrad();
        x.Mul(x.Detach()).Sum().Backward();
        Assert.Equal(2.0, x.Grad!.Item());
    }

    [Fact]
    public void Backward_NonScalarWithoutGradient_Throws()
    {
        var x = GradientCheck.Random([3], 1);
        Assert.Throws<InvalidOperationException>(() => x.Mul(2).Backward());
    }

    [Fact]
    public void Backward_NoGradTensor_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Tensor.Ones([1]).Backward());
    }

    [Fact]
    public void Backward_WrongGradientShape_Throws()
    {
        var x = GradientCheck.Random([3], 1);
        Assert.Throws<ArgumentException>(() => x.Mul(2).Backward(Tensor.Ones([4], DType.Float64)));
    }

    [Fact]
    public void RequiresGrad_OnInteger_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Tensor.Zeros([2], DType.Int64).RequiresGrad = true);
    }
}
