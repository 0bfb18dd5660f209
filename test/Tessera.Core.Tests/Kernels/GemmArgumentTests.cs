using Tessera.Kernels;

namespace Tessera.Core.Tests.Kernels;

public class GemmArgumentTests
{
    [Theory]
    [InlineData(-1, 2, 2, "m")]
    [InlineData(2, -1, 2, "n")]
    [InlineData(2, 2, -1, "k")]
    public void Multiply_NegativeDimension_ThrowsNamingIt(int m, int n, int k, string name)
    {
        var data = new float[16];
        var e = Assert.Throws<ArgumentOutOfRangeException>(
            () => Gemm.Multiply(false, false, m, n, k, data, 4, new float[16], 4, new float[16], 4));
        Assert.Equal(name, e.ParamName);
    }

    [Theory]
    [InlineData(false, false, 2, 3, 3, "lda")]
    [InlineData(true, false, 1, 3, 3, "lda")]
    [InlineData(false, false, 3, 2, 3, "ldb")]
    [InlineData(false, true, 3, 1, 3, "ldb")]
    [InlineData(false, false, 3, 3, 2, "ldc")]
    public void Multiply_StrideTooSmall_ThrowsNamingIt(bool ta, bool tb, int lda, int ldb, int ldc, string name)
    {
        // op(A) is 2 x 3 and op(B) is 3 x 3: stored A has 3 columns (2 if transposed), stored B 3 columns.
        var e = Assert.Throws<ArgumentOutOfRangeException>(
            () => Gemm.Multiply(ta, tb, 2, 3, 3, new float[64], lda, new float[64], ldb, new float[64], ldc));
        Assert.Equal(name, e.ParamName);
    }

    [Theory]
    [InlineData(5, 9, 6, "a")]
    [InlineData(6, 8, 6, "b")]
    [InlineData(6, 9, 5, "c")]
    public void Multiply_SpanTooShort_ThrowsNamingIt(int aLength, int bLength, int cLength, string name)
    {
        var e = Assert.Throws<ArgumentException>(
            () => Gemm.Multiply(false, false, 2, 3, 3, new double[aLength], 3, new double[bLength], 3, new double[cLength], 3));
        Assert.Equal(name, e.ParamName);
        Assert.Contains("needs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multiply_UInt64SpanTooShort_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(
            () => Gemm.Multiply(false, true, 2, 2, 2, new ulong[4], 2, new ulong[3], 2, new ulong[4], 2));
        Assert.Equal("b", e.ParamName);
    }

    [Fact]
    public void Multiply_OutputOverlapsInput_Throws()
    {
        var buffer = new float[32];
        var e = Assert.Throws<ArgumentException>(
            () => Gemm.Multiply(false, false, 2, 2, 2, buffer.AsSpan(0, 4), 2, new float[4], 2, buffer.AsSpan(2, 4), 2));
        Assert.Equal("c", e.ParamName);
    }

    [Fact]
    public void Multiply_DisjointPartsOfOneBuffer_Works()
    {
        var buffer = new float[12];
        buffer.AsSpan(0, 8).Fill(1);
        Gemm.Multiply(false, false, 2, 2, 2, buffer.AsSpan(0, 4), 2, buffer.AsSpan(4, 4), 2, buffer.AsSpan(8, 4), 2);
        Assert.Equal(new float[] { 2, 2, 2, 2 }, buffer[8..]);
    }
}
