using System.Buffers.Binary;
using System.Text;
using Tessera.Core.Tests.Data;
using Tessera.Serialization;

namespace Tessera.Core.Tests.Serialization;

public class SafeTensorsTests
{
    /// <summary>A file built by hand from the specification: length, JSON, optional space padding, data.</summary>
    private static byte[] Build(string json, byte[] data, int padding = 0)
    {
        var header = Encoding.UTF8.GetBytes(json + new string(' ', padding));
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    private static byte[] LittleEndian(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static byte[] Write(Dictionary<string, Tensor> tensors, Dictionary<string, string>? metadata = null)
    {
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, tensors, metadata);
        return stream.ToArray();
    }

    private static SafeTensorsFile Read(byte[] bytes) => SafeTensors.Read(new MemoryStream(bytes), "model.safetensors");

    private static string ReadError(byte[] bytes) => Assert.Throws<InvalidDataException>(() => Read(bytes)).Message;

    [Fact]
    public void Write_OneF32Tensor_MatchesSpecificationBytes()
    {
        // JSON is 65 bytes; 7 spaces pad the header to 72 so the data starts 8-byte aligned.
        var expected = Build("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}", LittleEndian(0, 1, 2, 3, 4, 5), 7);
        Assert.Equal(72, BinaryPrimitives.ReadInt64LittleEndian(expected));
        var written = Write(new() { ["attn0"] = Tensor.FromArray(new float[] { 0, 1, 2, 3, 4, 5 }, 1, 1, 2, 3) });
        Assert.Equal(expected, written);

        var read = Read(expected);
        Assert.Equal([1, 1, 2, 3], read.Tensors["attn0"].ShapeToArray());
        Assert.Equal([0f, 1, 2, 3, 4, 5], read.Tensors["attn0"].ToArray<float>());
    }

    [Fact]
    public void Write_Empty_MatchesSpecificationBytes()
    {
        Assert.Equal(Build("{}", [], 6), Write([]));
        Assert.Equal(Build("{\"__metadata__\":{\"framework\":\"pt\"}}", [], 5), Write([], new() { ["framework"] = "pt" }));
        Assert.Equal("pt", Read(Build("{\"__metadata__\":{\"framework\":\"pt\"}}", [], 5)).Metadata["framework"]);
    }

    [Fact]
    public void Write_OrdersByDescendingDtypeThenName_AndPacksWithoutGaps()
    {
        var bytes = Write(new()
        {
            ["b"] = Tensor.FromArray(new float[] { 1 }, 1),
            ["z"] = Tensor.FromArray(new[] { true, false, true }, 3),
            ["a"] = Tensor.FromArray(new float[] { 2, 3 }, 2),
            ["q"] = Tensor.FromArray(new ulong[] { ulong.MaxValue }, 1),
            ["m"] = Tensor.FromArray(new double[] { 0.5 }, 1),
            ["i"] = Tensor.FromArray(new long[] { -7 }, 1),
        });
        var headerLength = (int)BinaryPrimitives.ReadInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        var json = Encoding.UTF8.GetString(bytes, 8, headerLength).TrimEnd(' ');
        Assert.Equal(
            "{\"q\":{\"dtype\":\"U64\",\"shape\":[1],\"data_offsets\":[0,8]},"
            + "\"i\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[8,16]},"
            + "\"m\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[32,36]},"
            + "\"z\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[36,39]}}",
            json);
        Assert.Equal(8 + headerLength + 39, bytes.Length);
    }

    [Fact]
    public void Write_EscapesNamesLikeTheReference()
    {
        var bytes = Write(new() { ["a\"b\\c\n\u0001é"] = Tensor.FromArray(new float[] { 1 }, 1) });
        var json = Encoding.UTF8.GetString(bytes, 8, (int)BinaryPrimitives.ReadInt64LittleEndian(bytes));
        Assert.StartsWith("{\"a\\\"b\\\\c\\n\\u0001é\":", json);
        Assert.True(Read(bytes).Tensors.ContainsKey("a\"b\\c\n\u0001é"));
    }

    [Fact]
    public void Read_UnpaddedI32File_WidensToInt64()
    {
        // A 60-byte header with no padding, as older writers produced; I32 data [[1, -2], [3, 4]].
        var data = new[] { 1, -2, 3, 4 }.SelectMany(BitConverter.GetBytes).ToArray();
        var file = Read(Build("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", data));
        var t = file.Tensors["test"];
        Assert.Equal(DType.Int64, t.DType);
        Assert.Equal([2, 2], t.ShapeToArray());
        Assert.Equal([1L, -2, 3, 4], t.ToArray<long>());
    }

    [Fact]
    public void Read_NarrowAndHalfTypes_Widen()
    {
        var half = BitConverter.GetBytes((Half)1.5).Concat(BitConverter.GetBytes((Half)(-2))).ToArray();
        var bf16 = new byte[] { 0xC0, 0x3F }; // upper half of 1.5f
        var u16 = BitConverter.GetBytes((ushort)65535);
        var json = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[],\"data_offsets\":[4,6]},"
            + "\"u\":{\"dtype\":\"U16\",\"shape\":[1],\"data_offsets\":[6,8]},"
            + "\"s\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[8,10]},"
            + "\"c\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[10,12]}}";
        var file = Read(Build(json, [.. half, .. bf16, .. u16, 0xFF, 0x05, 0xFF, 0x05]));
        Assert.Equal([1.5f, -2f], file.Tensors["h"].ToArray<float>());
        Assert.Equal(0, file.Tensors["b"].Rank);
        Assert.Equal(1.5, file.Tensors["b"].Item());
        Assert.Equal([65535L], file.Tensors["u"].ToArray<long>());
        Assert.Equal([-1L, 5], file.Tensors["s"].ToArray<long>());
        Assert.Equal([255L, 5], file.Tensors["c"].ToArray<long>());
    }

    [Fact]
    public void RoundTrip_AllDtypesScalarsAndEmpty_PreservesEverything()
    {
        var tensors = new Dictionary<string, Tensor>
        {
            ["w"] = Tensor.FromArray(new float[] { 1.5f, -2, float.NaN, 4, 5, 6 }, 2, 3),
            ["d"] = Tensor.FromArray(new[] { double.Epsilon, -0.0 }, 2),
            ["l"] = Tensor.FromArray(new[] { long.MinValue, long.MaxValue }, 2, 1),
            ["u"] = Tensor.FromArray(new[] { ulong.MaxValue }, 1),
            ["m"] = Tensor.FromArray(new[] { true, false }, 2),
            ["s"] = Tensor.Scalar(3.25),
            ["e"] = Tensor.Zeros([0, 3]),
            ["t"] = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2).Transpose(),
        };
        var file = Read(Write(tensors, new() { ["format"] = "pt", ["note"] = "tessera" }));
        Assert.Equal(tensors.Count, file.Tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            var read = file.Tensors[name];
            Assert.Equal(tensor.DType, read.DType);
            Assert.Equal(tensor.ShapeToArray(), read.ShapeToArray());
        }

        Assert.Equal(tensors["w"].ToArray<float>(), file.Tensors["w"].ToArray<float>());
        Assert.Equal(tensors["l"].ToArray<long>(), file.Tensors["l"].ToArray<long>());
        Assert.Equal([1f, 3f, 2f, 4f], file.Tensors["t"].ToArray<float>());
        Assert.Equal([true, false], file.Tensors["m"].ToArray<bool>());
        Assert.Equal(3.25, file.Tensors["s"].Item());
        Assert.Equal("tessera", file.Metadata["note"]);
    }

    [Fact]
    public void SaveAndLoad_File_RoundTripsAndLeavesNoTemporaryFiles()
    {
        var dir = Directory.CreateTempSubdirectory("tessera-st-");
        try
        {
            var path = Path.Combine(dir.FullName, "model.safetensors");
            SafeTensors.Save(path, new Dictionary<string, Tensor> { ["x"] = Tensor.FromArray(new float[] { 7 }, 1) });
            Assert.Equal([7f], SafeTensors.Load(path).Tensors["x"].ToArray<float>());
            Assert.Single(Directory.GetFiles(dir.FullName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Read_NonSeekableStream_Works()
    {
        var bytes = Write(new() { ["x"] = Tensor.FromArray(new long[] { 1, 2, 3 }, 3) });
        var file = SafeTensors.Read(new IdxTestFiles.NonSeekable(bytes), "pipe");
        Assert.Equal([1L, 2, 3], file.Tensors["x"].ToArray<long>());
        Assert.Contains("after", Assert.Throws<InvalidDataException>(() => SafeTensors.Read(new IdxTestFiles.NonSeekable([.. bytes, 0]), "pipe")).Message);
    }

    [Fact]
    public void Read_HeaderLengthOverLimit_Throws()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 100_000_001);
        Assert.Contains("100000000", ReadError(bytes));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        Assert.Contains("more than", ReadError(bytes));
    }

    [Fact]
    public void Read_HeaderLongerThanFile_ThrowsTruncated()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1000);
        Assert.Contains("truncated", ReadError(bytes));
        Assert.Contains("truncated", ReadError(bytes[..5]));
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => SafeTensors.Read(new IdxTestFiles.NonSeekable(bytes), "pipe")).Message);
    }

    [Theory]
    [InlineData("{\"a\":", "not valid JSON")]
    [InlineData("[1,2]", "starting with '{'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "'a' twice")]
    [InlineData("{\"a\":{\"dtype\":\"X9\",\"shape\":[1],\"data_offsets\":[0,4]}}", "dtype \"X9\"")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", "shape element -1")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", "shape element 1.5")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,4]}}", "expected an array")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", "no \"shape\"")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", "begin <= end")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "needs 12 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,8]}}", "more than")]
    [InlineData("{\"a\":[1]}", "must be an object")]
    [InlineData("{\"__metadata__\":{\"k\":1}}", "must be a string")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[[[[1]]]],\"data_offsets\":[0,4]}}", "not valid JSON")]
    public void Read_BadHeader_ThrowsNamingTheProblem(string json, string expected)
    {
        var message = ReadError(Build(json, new byte[8]));
        Assert.StartsWith("model.safetensors: ", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void Read_OverlappingOffsets_Throws()
    {
        var json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        Assert.Contains("overlaps", ReadError(Build(json, new byte[12])));
    }

    [Fact]
    public void Read_GapBetweenTensors_Throws()
    {
        var json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}";
        Assert.Contains("gap", ReadError(Build(json, new byte[20])));
    }

    [Fact]
    public void Read_BufferNotCoveredOrShort_Throws()
    {
        var json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        Assert.Contains("no tensor claims", ReadError(Build(json, new byte[12])));
        Assert.Contains("truncated", ReadError(Build(json, new byte[4])));
    }

    [Fact]
    public void Read_InvalidBoolByte_Throws()
    {
        Assert.Contains("0 or 1", ReadError(Build("{\"m\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[0,2]}}", [1, 2])));
    }

    [Fact]
    public void Read_NonSeekableHugeDeclaredTensor_ThrowsTruncatedNotOutOfMemory()
    {
        // 1.6 GB declared, 8 bytes present, on a stream that cannot report its length.
        var bytes = Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[400000000],\"data_offsets\":[0,1600000000]}}", new byte[8]);
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(new IdxTestFiles.NonSeekable(bytes), "pipe"));
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Write_ReservedNameOrNulls_Throw()
    {
        Assert.Throws<ArgumentException>(() => Write(new() { ["__metadata__"] = Tensor.Scalar(1) }));
        Assert.Throws<ArgumentNullException>(() => SafeTensors.Write(null!, new Dictionary<string, Tensor>()));
        Assert.Throws<ArgumentNullException>(() => SafeTensors.Write(new MemoryStream(), null!));
        Assert.Throws<ArgumentNullException>(() => SafeTensors.Read(null!, "x"));
        Assert.ThrowsAny<ArgumentException>(() => SafeTensors.Load(string.Empty));
    }
}
