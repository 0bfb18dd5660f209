using System.Globalization;

namespace Tessera.Node.Objects;

/// <summary>Shapes stored as comma-separated sizes.</summary>
internal static class ObjectShapes
{
    public static string Write(ReadOnlySpan<int> shape) => string.Join(',', shape.ToArray());

    public static int[] Parse(string text) =>
        text.Length == 0 ? [] : [.. text.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
}
