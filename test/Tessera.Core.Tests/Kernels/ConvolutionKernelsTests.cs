using Tessera.Kernels;

namespace Tessera.Core.Tests.Kernels;

public class ConvolutionKernelsTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries() => new()
    {
        // kh, kw, sh, sw, ph, pw, dh, dw
        { 3, 3, 1, 1, 0, 0, 1, 1 },
        { 3, 3, 1, 1, 1, 1, 1, 1 },
        { 3, 2, 2, 1, 2, 0, 1, 2 },
        { 2, 3, 1, 2, 1, 2, 2, 1 },
        { 5, 5, 1, 1, 2, 2, 1, 1 },
        { 1, 1, 2, 3, 0, 1, 1, 1 },
        { 4, 1, 3, 1, 3, 0, 1, 1 },
        { 2, 2, 1, 1, 4, 4, 3, 3 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Im2Col_Geometry_MatchesNaiveUnfold(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw)
    {
        var g = new ConvolutionGeometry(3, 6, 7, kh, kw, sh, sw, ph, pw, dh, dw);
        var image = new double[g.Channels * g.InPlane];
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = i + 1;
        }

        var columns = new double[g.ColumnRows * g.OutPlane];
        columns.AsSpan().Fill(double.NaN); // every element must be written
        ConvolutionKernels.Im2Col<double>(image, g, columns);
        Assert.Equal(NaiveIm2Col(image, g), columns);

        var floats = Array.ConvertAll(image, v => (float)v);
        var floatColumns = new float[columns.Length];
        ConvolutionKernels.Im2Col<float>(floats, g, floatColumns);
        Assert.Equal(Array.ConvertAll(columns, v => (float)v), floatColumns);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Col2Im_Geometry_IsAdjointOfIm2Col(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw)
    {
        // <Im2Col(x), c> == <x, Col2Im(c)> for all x and c characterises Col2Im given a correct Im2Col.
        var g = new ConvolutionGeometry(2, 5, 6, kh, kw, sh, sw, ph, pw, dh, dw);
        var random = new SeededRandomSource(42);
        var x = new double[g.Channels * g.InPlane];
        var c = new double[g.ColumnRows * g.OutPlane];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = random.NextDouble() - 0.5;
        }

        for (var i = 0; i < c.Length; i++)
        {
            c[i] = random.NextDouble() - 0.5;
        }

        var unfolded = new double[c.Length];
        ConvolutionKernels.Im2Col<double>(x, g, unfolded);
        var folded = new double[x.Length];
        folded.AsSpan().Fill(1.0); // Col2Im accumulates: the ones must survive.
        ConvolutionKernels.Col2Im<double>(c, g, folded);
        var left = Dot(unfolded, c);
        var right = Dot(x, folded) - x.Sum();
        Assert.Equal(left, right, 1e-12);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Im2Col_RowStride_WritesImageBlockOnly(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw)
    {
        // The second of three images side by side: columns [ColumnRows, 3 * plane], this image's block at column plane.
        var g = new ConvolutionGeometry(3, 6, 7, kh, kw, sh, sw, ph, pw, dh, dw);
        var plane = g.OutPlane;
        var stride = 3 * plane;
        var image = new double[g.Channels * g.InPlane];
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = i + 1;
        }

        var wide = new double[g.ColumnRows * stride];
        wide.AsSpan().Fill(double.NaN);
        ConvolutionKernels.Im2Col<double>(image, g, wide.AsSpan(plane), stride);
        var expected = NaiveIm2Col(image, g);
        for (var r = 0; r < g.ColumnRows; r++)
        {
            Assert.Equal(expected.AsSpan(r * plane, plane).ToArray(), wide.AsSpan((r * stride) + plane, plane).ToArray());
            Assert.All(wide.AsSpan(r * stride, plane).ToArray(), v => Assert.True(double.IsNaN(v)));
            Assert.All(wide.AsSpan((r * stride) + (2 * plane), plane).ToArray(), v => Assert.True(double.IsNaN(v)));
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Col2Im_RowStride_MatchesContiguousBlock(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw)
    {
        var g = new ConvolutionGeometry(2, 5, 6, kh, kw, sh, sw, ph, pw, dh, dw);
        var plane = g.OutPlane;
        var stride = (2 * plane) + 3;
        var random = new SeededRandomSource(11);
        var wide = new double[((g.ColumnRows - 1) * stride) + (2 * plane)];
        for (var i = 0; i < wide.Length; i++)
        {
            wide[i] = random.NextDouble() - 0.5;
        }

        // The block of the second image, copied out into an ordinary [ColumnRows, plane] matrix.
        var block = new double[g.ColumnRows * plane];
        for (var r = 0; r < g.ColumnRows; r++)
        {
            wide.AsSpan((r * stride) + plane, plane).CopyTo(block.AsSpan(r * plane));
        }

        var expected = new double[g.Channels * g.InPlane];
        expected.AsSpan().Fill(0.25);
        ConvolutionKernels.Col2Im<double>(block, g, expected);
        var actual = new double[expected.Length];
        actual.AsSpan().Fill(0.25);
        ConvolutionKernels.Col2Im<double>(wide.AsSpan(plane), g, actual, stride);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Im2Col_RowStrideBelowPlane_Throws()
    {
        var g = new ConvolutionGeometry(1, 4, 4, 3, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvolutionKernels.Im2Col<float>(new float[16], g, new float[100], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvolutionKernels.Col2Im<float>(new float[100], g, new float[16], 3));
    }

    [Fact]
    public void Im2Col_ColumnsShortForRowStride_Throws()
    {
        // 9 rows of 4 at stride 10 need 8 * 10 + 4 = 84 elements.
        var g = new ConvolutionGeometry(1, 4, 4, 3, 3);
        ConvolutionKernels.Im2Col<float>(new float[16], g, new float[84], 10);
        Assert.Throws<ArgumentException>(() => ConvolutionKernels.Im2Col<float>(new float[16], g, new float[83], 10));
        Assert.Throws<ArgumentException>(() => ConvolutionKernels.Col2Im<float>(new float[83], g, new float[16], 10));
    }

    [Fact]
    public void ValidRange_NegativeOffsetAndStride_ClipsBothEnds()
    {
        // offset -3, stride 2: o * 2 - 3 in [0, 5) for o = 2, 3; output size 4.
        Assert.Equal((2, 4), ConvolutionGeometry.ValidRange(-3, 2, 5, 4));
        Assert.Equal((0, 0), ConvolutionGeometry.ValidRange(6, 1, 5, 3));
        Assert.Equal((3, 3), ConvolutionGeometry.ValidRange(-10, 3, 5, 3));
    }

    [Fact]
    public void Im2Col_ShortColumns_Throws()
    {
        var g = new ConvolutionGeometry(1, 4, 4, 3, 3);
        Assert.Throws<ArgumentException>(() => ConvolutionKernels.Im2Col<float>(new float[16], g, new float[9 * 4 - 1]));
    }

    [Fact]
    public void Col2Im_ShortImage_Throws()
    {
        var g = new ConvolutionGeometry(1, 4, 4, 3, 3);
        Assert.Throws<ArgumentException>(() => ConvolutionKernels.Col2Im<float>(new float[36], g, new float[15]));
    }

    [Fact]
    public void Im2Col_KernelLargerThanInput_Throws()
    {
        var g = new ConvolutionGeometry(1, 2, 2, 3, 3);
        Assert.Throws<ArgumentException>(() => ConvolutionKernels.Im2Col<float>(new float[4], g, new float[100]));
    }

    private static double[] NaiveIm2Col(double[] image, ConvolutionGeometry g)
    {
        var result = new double[g.ColumnRows * g.OutPlane];
        for (var c = 0; c < g.Channels; c++)
        {
            for (var i = 0; i < g.KernelHeight; i++)
            {
                for (var j = 0; j < g.KernelWidth; j++)
                {
                    var row = (((c * g.KernelHeight) + i) * g.KernelWidth) + j;
                    for (var oy = 0; oy < g.OutHeight; oy++)
                    {
                        for (var ox = 0; ox < g.OutWidth; ox++)
                        {
                            var iy = (oy * g.StrideHeight) - g.PadHeight + (i * g.DilationHeight);
                            var ix = (ox * g.StrideWidth) - g.PadWidth + (j * g.DilationWidth);
                            var inside = iy >= 0 && iy < g.Height && ix >= 0 && ix < g.Width;
                            result[(row * g.OutPlane) + (oy * g.OutWidth) + ox] = inside ? image[(c * g.InPlane) + (iy * g.Width) + ix] : 0;
                        }
                    }
                }
            }
        }

        return result;
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
