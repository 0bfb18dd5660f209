using System.Buffers.Binary;
using Tessera.Data;

namespace Tessera.Core.Tests.Data;

public class IdxReaderTests
{
    private static Tensor Read(byte[] bytes, IdxReadOptions? options = null) =>
        IdxReader.Read(new MemoryStream(bytes), "test.idx", options);

    [Fact]
    public void Read_UByteImages_ReturnsInt64WithShape()
    {
        var t = Read(IdxTestFiles.UBytes([2, 3, 2], i => (byte)(i * 10)));
        Assert.Equal(DType.Int64, t.DType);
        Assert.Equal([2, 3, 2], t.ShapeToArray());
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)(i * 10)), t.ToArray<long>());
    }

    [Fact]
    public void Read_ScaleToUnitRange_ReturnsFloat32DividedBy255()
    {
        var t = Read(IdxTestFiles.UBytes([3], i => new byte[] { 0, 51, 255 }[i]), new IdxReadOptions { ScaleToUnitRange = true });
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal([0f, 0.2f, 1f], t.ToArray<float>());
    }

    [Fact]
    public void Read_ScaleToUnitRange_LargeFileUsesVectorPathCorrectly()
    {
        // More than one 1 MiB chunk, so chunk boundaries are crossed.
        var t = Read(IdxTestFiles.UBytes([3, 1000, 500], i => (byte)(i % 251)), new IdxReadOptions { ScaleToUnitRange = true });
        var values = t.ToArray<float>();
        Assert.Equal(1_500_000, values.Length);
        Assert.Equal(250 / 255f, values[250]);
        Assert.Equal((1_499_999 % 251) / 255f, values[^1]);
    }

    [Fact]
    public void Read_SignedTypes_DecodeBigEndian()
    {
        var shorts = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(shorts, -2);
        BinaryPrimitives.WriteInt16BigEndian(shorts.AsSpan(2), 300);
        Assert.Equal([-2L, 300L], Read(IdxTestFiles.Build(0x0B, [2], shorts)).ToArray<long>());

        var ints = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(ints, -70000);
        Assert.Equal([-70000L], Read(IdxTestFiles.Build(0x0C, [1], ints)).ToArray<long>());

        Assert.Equal([-1L, 127L], Read(IdxTestFiles.Build(0x09, [2], [0xFF, 0x7F])).ToArray<long>());
    }

    [Fact]
    public void Read_FloatAndDouble_KeepTheirPrecision()
    {
        var floats = new byte[8];
        BinaryPrimitives.WriteSingleBigEndian(floats, 1.5f);
        BinaryPrimitives.WriteSingleBigEndian(floats.AsSpan(4), -0.25f);
        var f = Read(IdxTestFiles.Build(0x0D, [2], floats));
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal([1.5f, -0.25f], f.ToArray<float>());

        var doubles = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(doubles, Math.PI);
        var d = Read(IdxTestFiles.Build(0x0E, [1], doubles));
        Assert.Equal(DType.Float64, d.DType);
        Assert.Equal(Math.PI, d.ToArray<double>()[0]);
    }

    [Fact]
    public void Read_Gzip_DetectedAndDecoded()
    {
        var plain = IdxTestFiles.UBytes([4, 5], i => (byte)i);
        var t = Read(IdxTestFiles.Gzip(plain));
        Assert.Equal([4, 5], t.ShapeToArray());
        Assert.Equal(19L, t.ToArray<long>()[19]);
    }

    [Fact]
    public void Read_File_PlainAndGzip()
    {
        var dir = Directory.CreateTempSubdirectory("tessera-idx-");
        try
        {
            var path = Path.Combine(dir.FullName, "labels-idx1-ubyte");
            File.WriteAllBytes(path, IdxTestFiles.UBytes([3], i => (byte)(i + 1)));
            File.WriteAllBytes(path + ".gz", IdxTestFiles.Gzip(File.ReadAllBytes(path)));
            Assert.Equal([1L, 2L, 3L], IdxReader.Read(path).ToArray<long>());
            Assert.Equal([1L, 2L, 3L], IdxReader.Read(path + ".gz").ToArray<long>());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Read_ZeroDimension_ReturnsEmptyTensor()
    {
        var t = Read(IdxTestFiles.Build(0x08, [0, 28], []));
        Assert.Equal([0, 28], t.ShapeToArray());
        Assert.Equal(0, t.Count);
    }

    [Fact]
    public void Read_WrongMagic_ThrowsNamingTheFile()
    {
        var bytes = IdxTestFiles.UBytes([2], i => 0);
        bytes[0] = 0x50;
        var ex = Assert.Throws<InvalidDataException>(() => Read(bytes));
        Assert.Contains("test.idx", ex.Message);
        Assert.Contains("magic", ex.Message);
    }

    [Fact]
    public void Read_UnknownTypeCode_Throws()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Read(IdxTestFiles.Build(0x0A, [1], [0])));
        Assert.Contains("0x0A", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    public void Read_BadRank_Throws(int rank)
    {
        var bytes = new byte[] { 0, 0, 0x08, (byte)rank };
        var ex = Assert.Throws<InvalidDataException>(() => Read(bytes));
        Assert.Contains("rank", ex.Message);
    }

    [Fact]
    public void Read_Truncated_ThrowsWithDeclaredAndActualSizes()
    {
        var bytes = IdxTestFiles.UBytes([10, 10], i => 1);
        var ex = Assert.Throws<InvalidDataException>(() => Read(bytes[..^5]));
        Assert.Contains("truncated", ex.Message);
        Assert.Contains("[10, 10]", ex.Message);
        Assert.Contains("95", ex.Message);
    }

    [Fact]
    public void Read_TruncatedHeader_Throws()
    {
        var bytes = IdxTestFiles.UBytes([10, 10], i => 1);
        var ex = Assert.Throws<InvalidDataException>(() => Read(bytes[..9]));
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Read_TrailingBytes_Throws()
    {
        var bytes = IdxTestFiles.UBytes([3], i => 1).Concat(new byte[] { 9 }).ToArray();
        Assert.Contains("trailing", Assert.Throws<InvalidDataException>(() => Read(bytes)).Message);
        Assert.Contains("trailing", Assert.Throws<InvalidDataException>(() => Read(IdxTestFiles.Gzip(bytes))).Message);
    }

    [Fact]
    public void Read_HugeDeclaredDims_ThrowsBeforeAllocating()
    {
        // 65535^3 elements: far beyond any array; must fail on the header, not with OutOfMemoryException.
        var bytes = IdxTestFiles.Build(0x08, [65535, 65535, 65535], [1, 2, 3]);
        var ex = Assert.Throws<InvalidDataException>(() => Read(bytes));
        Assert.Contains("65535", ex.Message);

        var overflow = IdxTestFiles.Build(0x08, [int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue], []);
        Assert.Throws<InvalidDataException>(() => Read(overflow));
    }

    [Fact]
    public void Read_DimensionAboveIntMax_Throws()
    {
        var bytes = new byte[8];
        bytes[2] = 0x08;
        bytes[3] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), uint.MaxValue);
        Assert.Contains("4294967295", Assert.Throws<InvalidDataException>(() => Read(bytes)).Message);
    }

    [Fact]
    public void Read_GzipDeclaringMoreThanItHolds_ThrowsTruncatedNotOutOfMemory()
    {
        // 2,000,000,000 elements declared, 3 present: the reader must not allocate 2 GB up front.
        var bytes = IdxTestFiles.Gzip(IdxTestFiles.Build(0x08, [2_000_000_000], [1, 2, 3]));
        var ex = Assert.Throws<InvalidDataException>(() => Read(bytes));
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Read_NonSeekableStream_Works()
    {
        var t = IdxReader.Read(new IdxTestFiles.NonSeekable(IdxTestFiles.UBytes([2, 2], i => (byte)i)), "pipe");
        Assert.Equal([0L, 1L, 2L, 3L], t.ToArray<long>());
    }

    [Fact]
    public void Read_CorruptGzip_ThrowsNamingTheFile()
    {
        var bytes = IdxTestFiles.Gzip(IdxTestFiles.UBytes([100], i => (byte)i));
        bytes[12] ^= 0xFF;
        bytes[13] ^= 0xFF;
        var ex = Assert.Throws<InvalidDataException>(() => Read(bytes));
        Assert.StartsWith("test.idx", ex.Message);
    }

    [Fact]
    public void Read_MaxElements_Enforced()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Read(IdxTestFiles.UBytes([10], i => 0), new IdxReadOptions { MaxElements = 5 }));
        Assert.Contains("5", ex.Message);
    }

    [Fact]
    public void Read_OptionsThatDoNotFit_ThrowArgumentException()
    {
        var floats = IdxTestFiles.Build(0x0D, [1], new byte[4]);
        Assert.Throws<ArgumentException>(() => Read(floats, new IdxReadOptions { ScaleToUnitRange = true }));
        Assert.Throws<ArgumentException>(() => Read(floats, new IdxReadOptions { DType = DType.Int64 }));
        Assert.Throws<ArgumentException>(() => Read(IdxTestFiles.UBytes([1], i => 0), new IdxReadOptions { DType = DType.Bool }));
        Assert.Throws<ArgumentException>(() => Read(IdxTestFiles.UBytes([1], i => 0), new IdxReadOptions { ScaleToUnitRange = true, DType = DType.Int64 }));
    }

    [Fact]
    public void Read_ExplicitFloat64_Converts()
    {
        var t = Read(IdxTestFiles.UBytes([2], i => (byte)(i * 255)), new IdxReadOptions { DType = DType.Float64, ScaleToUnitRange = true });
        Assert.Equal([0.0, 1.0], t.ToArray<double>());
    }

    [Fact]
    public void Read_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => IdxReader.Read((Stream)null!, "x"));
        Assert.Throws<ArgumentNullException>(() => IdxReader.Read(new MemoryStream(), null!));
        Assert.ThrowsAny<ArgumentException>(() => IdxReader.Read(string.Empty));
    }
}
