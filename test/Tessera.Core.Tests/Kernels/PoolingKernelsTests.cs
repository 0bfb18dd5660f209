using Tessera.Kernels;

namespace Tessera.Core.Tests.Kernels;

public class PoolingKernelsTests
{
    [Fact]
    public void MaxPoolForward_Padded_RecordsIndexOfWinnerInsideInput()
    {
        // 3x3 input, 2x2 windows, stride 2, padding 1: windows cover {0}, {1,2}, {3,6}, {4,5,7,8}.
        float[] input = [5, 1, 2, 3, -1, 4, 6, 0, -2];
        var g = new ConvolutionGeometry(1, 3, 3, 2, 2, 2, 2, 1, 1);
        var output = new float[4];
        var indices = new int[4];
        PoolingKernels.MaxPoolForward<float>(input, 1, g, output, indices);
        Assert.Equal(new float[] { 5, 2, 6, 4 }, output);
        Assert.Equal(new[] { 0, 2, 6, 5 }, indices);
    }

    [Fact]
    public void MaxPoolForward_AllNegative_IgnoresPadding()
    {
        double[] input = [-5, -4, -3, -2];
        var g = new ConvolutionGeometry(1, 2, 2, 2, 2, 1, 1, 1, 1);
        var output = new double[9];
        PoolingKernels.MaxPoolForward<double>(input, 1, g, output, new int[9]);
        Assert.Equal(new double[] { -5, -4, -4, -3, -2, -2, -3, -2, -2 }, output);
    }

    [Fact]
    public void MaxPoolForward_Ties_PickFirstInRowMajorOrder()
    {
        double[] input = [1, 7, 7, 7, 2, 3];
        var g = new ConvolutionGeometry(1, 2, 3, 2, 3, 1, 1);
        var indices = new int[1];
        PoolingKernels.MaxPoolForward<double>(input, 1, g, new double[1], indices);
        Assert.Equal(1, indices[0]);
    }

    [Fact]
    public void MaxPoolForward_NaN_WinsAndIsRecorded()
    {
        float[] input = [1, 9, float.NaN, 2];
        var g = new ConvolutionGeometry(1, 2, 2, 2, 2, 1, 1);
        var output = new float[1];
        var indices = new int[1];
        PoolingKernels.MaxPoolForward<float>(input, 1, g, output, indices);
        Assert.True(float.IsNaN(output[0]));
        Assert.Equal(2, indices[0]);
    }

    [Fact]
    public void MaxPoolBackward_TwoPlanes_ScattersIntoEachPlane()
    {
        var g = new ConvolutionGeometry(1, 2, 2, 2, 2, 2, 2);
        var grad = new float[8];
        PoolingKernels.MaxPoolBackward<float>([1f, 2f], [3, 1], 2, g, grad);
        Assert.Equal(new float[] { 0, 0, 0, 1, 0, 2, 0, 0 }, grad);
    }

    [Fact]
    public void AvgPoolBackward_Padded_SpreadsOverKernelArea()
    {
        var g = new ConvolutionGeometry(1, 2, 2, 3, 3, 2, 2, 1, 1);
        var grad = new double[4];
        PoolingKernels.AvgPoolBackward<double>([9.0], 1, g, grad);
        Assert.Equal(new double[] { 1, 1, 1, 1 }, grad);
    }

    [Fact]
    public void MaxPoolForward_ShortIndices_Throws()
    {
        var g = new ConvolutionGeometry(1, 4, 4, 2, 2, 2, 2);
        Assert.Throws<ArgumentException>("indices", () => PoolingKernels.MaxPoolForward<float>(new float[16], 1, g, new float[4], new int[3]));
    }

    [Fact]
    public void AvgPoolForward_ShortOutput_Throws()
    {
        var g = new ConvolutionGeometry(1, 4, 4, 2, 2, 2, 2);
        Assert.Throws<ArgumentException>(() => PoolingKernels.AvgPoolForward<float>(new float[16], 1, g, new float[3]));
    }

    [Fact]
    public void AvgPoolForward_PaddingOverHalfKernel_Throws()
    {
        var g = new ConvolutionGeometry(1, 4, 4, 2, 2, 1, 1, 2, 2);
        Assert.Throws<ArgumentException>(() => PoolingKernels.AvgPoolForward<float>(new float[16], 1, g, new float[100]));
    }
}
