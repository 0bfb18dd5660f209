using System.Text;
using Tessera.Contracts;

namespace Tessera.Client.Tests;

internal static class SdkTestData
{
    public const string Csv = "age,weight\n31,3.217\n27,2.981\n40,4.163\n";

    public static DatasetCreateRequest CsvRequest(string name, string tag, bool mockProvided = false) =>
        new(name, "Birth records, 2020", DatasetFormat.Csv, [tag, "births"], [new("age", 0, 120), new("weight", 0.5, 6)], [], mockProvided);

    public static string UniqueTag(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    public static MemoryStream CsvStream(string csv = Csv) => new(Encoding.UTF8.GetBytes(csv));

    public static string CsvFile(string csv = Csv)
    {
        var path = Path.Combine(Tessera.TestUtilities.TestPaths.NewTempDirectory(), "data.csv");
        File.WriteAllText(path, csv);
        return path;
    }
}
