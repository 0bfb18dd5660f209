namespace Tessera.Core.Tests.Tensors;

public class Conv2dArgumentTests
{
    private static readonly Tensor Input = Tensor.Zeros([2, 4, 5, 5]);
    private static readonly Tensor Weight = Tensor.Zeros([6, 4, 3, 3]);

    [Fact]
    public void Conv2d_NullWeight_Throws() => Assert.Throws<ArgumentNullException>("weight", () => Input.Conv2d(null!));

    [Fact]
    public void Conv2d_InputNotRank4_ThrowsNamingBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([4, 5, 5]).Conv2d(Weight));
        Assert.Contains("[4, 5, 5]", e.Message);
        Assert.Contains("[6, 4, 3, 3]", e.Message);
    }

    [Fact]
    public void Conv2d_WeightNotRank4_Throws() =>
        Assert.Throws<ArgumentException>("weight", () => Input.Conv2d(Tensor.Zeros([6, 4, 3])));

    [Fact]
    public void Conv2d_ChannelMismatch_ThrowsNamingBothShapes()
    {
        var e = Assert.Throws<ArgumentException>("weight", () => Input.Conv2d(Tensor.Zeros([6, 3, 3, 3])));
        Assert.Contains("[2, 4, 5, 5]", e.Message);
        Assert.Contains("[6, 3, 3, 3]", e.Message);
    }

    [Fact]
    public void Conv2d_GroupsNotDividingInputChannels_Throws() =>
        Assert.Throws<ArgumentException>("groups", () => Input.Conv2d(Tensor.Zeros([6, 1, 3, 3]), groups: 3));

    [Fact]
    public void Conv2d_GroupsNotDividingOutputChannels_Throws() =>
        Assert.Throws<ArgumentException>("groups", () => Input.Conv2d(Tensor.Zeros([5, 2, 3, 3]), groups: 2));

    [Fact]
    public void Conv2d_WeightChannelsNotPerGroup_Throws() =>
        Assert.Throws<ArgumentException>("weight", () => Input.Conv2d(Tensor.Zeros([6, 4, 3, 3]), groups: 2));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Conv2d_NonPositiveGroups_Throws(int groups) =>
        Assert.Throws<ArgumentOutOfRangeException>("groups", () => Input.Conv2d(Weight, groups: groups));

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Conv2d_NonPositiveStride_Throws(int stride) =>
        Assert.Throws<ArgumentOutOfRangeException>("stride", () => Input.Conv2d(Weight, stride: stride));

    [Fact]
    public void Conv2d_NonPositiveStrideInTuple_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>("stride", () => Input.Conv2d(Weight, null, (1, 0)));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Conv2d_NonPositiveDilation_Throws(int dilation) =>
        Assert.Throws<ArgumentOutOfRangeException>("dilation", () => Input.Conv2d(Weight, dilation: dilation));

    [Fact]
    public void Conv2d_NegativePadding_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>("padding", () => Input.Conv2d(Weight, padding: -1));

    [Fact]
    public void Conv2d_NegativePaddingInTuple_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>("padding", () => Input.Conv2d(Weight, null, (1, 1), (0, -1)));

    [Fact]
    public void Conv2d_KernelLargerThanPaddedInput_ThrowsNamingBothShapes()
    {
        var e = Assert.Throws<ArgumentException>("weight", () => Input.Conv2d(Tensor.Zeros([6, 4, 6, 3])));
        Assert.Contains("[2, 4, 5, 5]", e.Message);
        Assert.Contains("[6, 4, 6, 3]", e.Message);
    }

    [Fact]
    public void Conv2d_DilatedKernelLargerThanPaddedInput_Throws() =>
        Assert.Throws<ArgumentException>("weight", () => Input.Conv2d(Weight, dilation: 3));

    [Fact]
    public void Conv2d_KernelFitsOnlyWithPadding_Succeeds() =>
        Assert.Equal([2, 6, 2, 2], Input.Conv2d(Tensor.Zeros([6, 4, 6, 6]), padding: 1).ShapeToArray());

    [Fact]
    public void Conv2d_EmptyKernel_Throws() =>
        Assert.Throws<ArgumentException>("weight", () => Input.Conv2d(Tensor.Zeros([6, 4, 0, 3])));

    [Fact]
    public void Conv2d_WeightDTypeMismatch_Throws()
    {
        var e = Assert.Throws<ArgumentException>("weight", () => Input.Conv2d(Tensor.Zeros([6, 4, 3, 3], DType.Float64)));
        Assert.Contains("Float64", e.Message);
    }

    [Fact]
    public void Conv2d_IntegerInput_Throws() =>
        Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 4, 5, 5], DType.Int64).Conv2d(Tensor.Zeros([6, 4, 3, 3], DType.Int64)));

    [Fact]
    public void Conv2d_BiasWrongLength_Throws() =>
        Assert.Throws<ArgumentException>("bias", () => Input.Conv2d(Weight, Tensor.Zeros([5])));

    [Fact]
    public void Conv2d_BiasWrongRank_Throws() =>
        Assert.Throws<ArgumentException>("bias", () => Input.Conv2d(Weight, Tensor.Zeros([1, 6])));

    [Fact]
    public void Conv2d_BiasDTypeMismatch_Throws() =>
        Assert.Throws<ArgumentException>("bias", () => Input.Conv2d(Weight, Tensor.Zeros([6], DType.Float64)));
}
