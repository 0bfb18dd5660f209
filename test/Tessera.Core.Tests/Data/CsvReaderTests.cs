using Tessera.Data;

namespace Tessera.Core.Tests.Data;

public class CsvReaderTests
{
    private static CsvTable Read(string text, CsvReadOptions? options = null) =>
        CsvReader.Read(new StringReader(text), "data.csv", options);

    [Fact]
    public void Read_SimpleFile_ReturnsNamedColumns()
    {
        var table = Read("a,b,c\n1,2,3\n4.5,-5e-1,6\n");
        Assert.Equal(["a", "b", "c"], table.ColumnNames);
        Assert.Equal(2, table.RowCount);
        Assert.Equal([2.0, -0.5], table.Column("b"));
        Assert.Equal(4.5, table[1, 0]);
    }

    [Fact]
    public void Read_QuotedFields_FollowRfc4180()
    {
        var text = "\"x, first\",\"y \"\"quoted\"\"\",\"multi\nline\"\r\n\"1\",2,\" 3 \"\r\n";
        var table = Read(text);
        Assert.Equal(["x, first", "y \"quoted\"", "multi\nline"], table.ColumnNames);
        Assert.Equal([1.0, 2.0, 3.0], [table[0, 0], table[0, 1], table[0, 2]]);
    }

    [Fact]
    public void Read_CrLfAndBlankLinesAndBom_AreHandled()
    {
        var semicolon = Read("\uFEFFa;b\r\n\r\n1;2\r\n\r\n3;4", new CsvReadOptions { Delimiter = ';' });
        Assert.Equal(["a", "b"], semicolon.ColumnNames);
        Assert.Equal(2, semicolon.RowCount);
        Assert.Equal(4.0, semicolon[1, 1]);
    }

    [Fact]
    public void Read_InvariantCulture_RejectsCommaDecimal()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Read("a;b\n1,5;2", new CsvReadOptions { Delimiter = ';' }));
        Assert.Contains("line 2, column 1 ('a')", ex.Message);
        Assert.Contains("'1,5' is not a number", ex.Message);
    }

    [Fact]
    public void Read_NonNumericCell_ThrowsWithLineAndColumn()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Read("a,b\n1,2\n3,abc\n"));
        Assert.Equal("data.csv: line 3, column 2 ('b'): 'abc' is not a number; cells must be numbers in the invariant culture, such as 1.5 or -2e-3.", ex.Message);
    }

    [Fact]
    public void Read_LineNumbersCountEmbeddedNewlines()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Read("a,\"b\nc\"\n1,2\nx,3\n"));
        Assert.Contains("line 4, column 1", ex.Message);
    }

    [Fact]
    public void Read_RaggedRow_ThrowsWithLine()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Read("a,b,c\n1,2,3\n4,5\n"));
        Assert.Contains("line 3", ex.Message);
        Assert.Contains("2 cells", ex.Message);
        Assert.Contains("3 columns", ex.Message);
    }

    [Fact]
    public void Read_EmptyCell_ThrowsUnlessNaNAllowed()
    {
        Assert.Contains("empty", Assert.Throws<InvalidDataException>(() => Read("a,b\n1,\n")).Message);
        var table = Read("a,b\n1,\n", new CsvReadOptions { EmptyAsNaN = true });
        Assert.True(double.IsNaN(table[0, 1]));
    }

    [Theory]
    [InlineData("a\n\"1", "not closed")]
    [InlineData("a\n\"1\"x", "after a closing quote")]
    [InlineData("a\n1\"2", "quote inside an unquoted field")]
    public void Read_BadQuoting_Throws(string text, string expected)
    {
        var ex = Assert.Throws<InvalidDataException>(() => Read(text));
        Assert.Contains(expected, ex.Message);
        Assert.Contains("line 2", ex.Message);
    }

    [Fact]
    public void Read_DuplicateHeader_Throws()
    {
        Assert.Contains("'a' appears twice", Assert.Throws<InvalidDataException>(() => Read("a,b,a\n1,2,3")).Message);
    }

    [Fact]
    public void Read_Limits_AreErrorsNotAllocations()
    {
        var longField = "a\n" + new string('1', 5000);
        Assert.Contains("longer than 4096", Assert.Throws<InvalidDataException>(() => Read(longField)).Message);
        Assert.Contains("more than 3 columns", Assert.Throws<InvalidDataException>(() => Read("a,b,c,d", new CsvReadOptions { MaxColumns = 3 })).Message);
        Assert.Contains("more than 4 cells", Assert.Throws<InvalidDataException>(() => Read("a,b\n1,2\n3,4\n5,6", new CsvReadOptions { MaxCells = 4 })).Message);
    }

    [Fact]
    public void Read_EmptyInput_ThrowsWithHeaderAndEmptyTableWithout()
    {
        Assert.Contains("empty", Assert.Throws<InvalidDataException>(() => Read(string.Empty)).Message);
        Assert.Equal(0, Read("a,b\n").RowCount);
        Assert.Equal(0, Read(string.Empty, new CsvReadOptions { HasHeader = false }).RowCount);
    }

    [Fact]
    public void Read_NoHeader_NamesColumnsByPosition()
    {
        var table = Read("1,2\n3,4", new CsvReadOptions { HasHeader = false });
        Assert.Equal(["c0", "c1"], table.ColumnNames);
        Assert.Equal(2, table.RowCount);
    }

    [Fact]
    public void ToTensor_SelectedColumns_InGivenOrder()
    {
        var table = Read("a,b,c\n1,2,3\n4,5,6");
        var t = table.ToTensor(DType.Float64, "c", "a");
        Assert.Equal([2, 2], t.ShapeToArray());
        Assert.Equal([3.0, 1.0, 6.0, 4.0], t.ToArray<double>());
        var all = table.ToTensor();
        Assert.Equal(DType.Float32, all.DType);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], all.ToArray<float>());
    }

    [Fact]
    public void Table_Misuse_Throws()
    {
        var table = Read("a\n1");
        Assert.Throws<KeyNotFoundException>(() => table.Column("zzz"));
        Assert.Throws<ArgumentException>(() => table.ToTensor(DType.Int64));
        Assert.Throws<ArgumentOutOfRangeException>(() => table[1, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => table[0, -1]);
    }

    [Fact]
    public void Read_InvalidOptionsOrArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => Read("a", new CsvReadOptions { Delimiter = '"' }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Read("a", new CsvReadOptions { MaxFieldLength = 0 }));
        Assert.Throws<ArgumentNullException>(() => CsvReader.Read((TextReader)null!, "x"));
        Assert.ThrowsAny<ArgumentException>(() => CsvReader.Read(string.Empty));
    }

    [Fact]
    public void ReadTensor_File_Works()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "x,y\n1,2\n3,4\n");
            var t = CsvReader.ReadTensor(path);
            Assert.Equal([2, 2], t.ShapeToArray());
            Assert.Equal([1f, 2f, 3f, 4f], t.ToArray<float>());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
