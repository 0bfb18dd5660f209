namespace Tessera.Core.Tests.Tensors;

public class TensorSmokeTests
{
    [Fact]
    public void Add_BroadcastRow_AddsToEveryRow()
    {
        var a = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var b = Tensor.FromArray(new float[] { 10, 20, 30 }, 3);
        Assert.Equal(new float[] { 11, 22, 33, 14, 25, 36 }, a.Add(b).ToArray<float>());
    }

    [Fact]
    public void MatMul_TransposedView_MatchesManual()
    {
        var a = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var r = a.MatMul(a.T);
        Assert.Equal(new float[] { 14, 32, 32, 77 }, r.ToArray<float>());
    }

    [Fact]
    public void Backward_MulSum_GivesOtherOperand()
    {
        var a = Tensor.FromArray(new float[] { 1, 2, 3 }, 3).WithGrad();
        var b = Tensor.FromArray(new float[] { 4, 5, 6 }, 3).WithGrad();
        a.Mul(b).Sum().Backward();
        Assert.Equal(new float[] { 4, 5, 6 }, a.Grad!.ToArray<float>());
        Assert.Equal(new float[] { 1, 2, 3 }, b.Grad!.ToArray<float>());
    }

    [Fact]
    public void Sum_OverDim0_OfTranspose_IsCorrect()
    {
        var a = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal(new float[] { 6, 15 }, a.T.Sum(0).ToArray<float>());
        Assert.Equal(new float[] { 5, 7, 9 }, a.Sum(0).ToArray<float>());
        Assert.Equal(21.0, a.Sum().Item());
    }
}
