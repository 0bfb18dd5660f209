using Tessera.Data;

namespace Tessera.Core.Tests.Data;

public sealed class CsvReadRowsTests
{
    [Fact]
    public void ReadRows_DeliversHeaderThenEachRow_WithoutKeepingThem()
    {
        var seen = new List<(long Row, double[] Values)>();
        IReadOnlyList<string>? header = null;
        var rows = CsvReader.ReadRows(new StringReader("a,b\n1,2\n3.5,-4\n"), "t.csv", h => header = h, (r, v) => seen.Add((r, v.ToArray())));

        Assert.Equal(2, rows);
        Assert.Equal(["a", "b"], header);
        Assert.Equal(0, seen[0].Row);
        Assert.Equal([1.0, 2.0], seen[0].Values);
        Assert.Equal([3.5, -4.0], seen[1].Values);
    }

    [Fact]
    public void ReadRows_ThrowingHeaderCallback_StopsBeforeAnyRow()
    {
        var calls = 0;
        Assert.Throws<InvalidOperationException>(() => CsvReader.ReadRows(new StringReader("a\n1\n"), "t.csv",
            _ => throw new InvalidOperationException("wrong header"), (_, _) => calls++));
        Assert.Equal(0, calls);
    }

    [Fact]
    public void ReadRows_BadCell_NamesLineAndColumn_AfterEarlierRows()
    {
        var calls = 0;
        var error = Assert.Throws<InvalidDataException>(() => CsvReader.ReadRows(new StringReader("a,b\n1,2\n3,x\n"), "t.csv", _ => { }, (_, _) => calls++));
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Read_MatchesReadRows()
    {
        const string Text = "x,y,z\n1,2,3\n4,5,6\n";
        var table = CsvReader.Read(new StringReader(Text), "t.csv");
        var values = new List<double>();
        CsvReader.ReadRows(new StringReader(Text), "t.csv", _ => { }, (_, v) => values.AddRange(v));
        Assert.Equal(2, table.RowCount);
        Assert.Equal([1.0, 4.0], table.Column("x"));
        Assert.Equal([1.0, 2, 3, 4, 5, 6], values);
    }
}
