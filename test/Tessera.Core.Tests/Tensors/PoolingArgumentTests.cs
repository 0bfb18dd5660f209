namespace Tessera.Core.Tests.Tensors;

public class PoolingArgumentTests
{
    private static readonly Tensor Input = Tensor.Zeros([2, 3, 5, 4]);

    public static TheoryData<bool> Both() => new() { true, false };

    private static Tensor Pool(bool max, Tensor x, (int, int) k, (int, int)? s = null, (int, int) p = default) =>
        max ? x.MaxPool2d(k, s, p) : x.AvgPool2d(k, s, p);

    [Theory]
    [MemberData(nameof(Both))]
    public void Pool2d_InputNotRank4_ThrowsNamingShape(bool max)
    {
        var e = Assert.Throws<ArgumentException>(() => Pool(max, Tensor.Zeros([3, 5, 4]), (2, 2)));
        Assert.Contains("[3, 5, 4]", e.Message);
    }

    [Theory]
    [MemberData(nameof(Both))]
    public void Pool2d_IntegerInput_Throws(bool max) =>
        Assert.Throws<ArgumentException>(() => Pool(max, Tensor.Zeros([1, 1, 4, 4], DType.Int64), (2, 2)));

    [Theory]
    [MemberData(nameof(Both))]
    public void Pool2d_NonPositiveKernel_Throws(bool max) =>
        Assert.Throws<ArgumentOutOfRangeException>("kernelSize", () => Pool(max, Input, (0, 2)));

    [Theory]
    [MemberData(nameof(Both))]
    public void Pool2d_NonPositiveStride_Throws(bool max) =>
        Assert.Throws<ArgumentOutOfRangeException>("stride", () => Pool(max, Input, (2, 2), (2, -1)));

    [Theory]
    [MemberData(nameof(Both))]
    public void Pool2d_NegativePadding_Throws(bool max) =>
        Assert.Throws<ArgumentOutOfRangeException>("padding", () => Pool(max, Input, (2, 2), null, (-1, 0)));

    [Theory]
    [MemberData(nameof(Both))]
    public void Pool2d_PaddingOverHalfKernel_Throws(bool max) =>
        Assert.Throws<ArgumentOutOfRangeException>("padding", () => Pool(max, Input, (3, 3), null, (2, 1)));

    [Theory]
    [MemberData(nameof(Both))]
    public void Pool2d_WindowLargerThanInput_ThrowsNamingShape(bool max)
    {
        var e = Assert.Throws<ArgumentException>("kernelSize", () => Pool(max, Input, (2, 5)));
        Assert.Contains("[2, 3, 5, 4]", e.Message);
    }

    [Fact]
    public void MaxPool2d_IntNonPositiveKernel_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>("kernelSize", () => Input.MaxPool2d(0));

    [Fact]
    public void AvgPool2d_IntNonPositiveStride_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>("stride", () => Input.AvgPool2d(2, 0));
}
