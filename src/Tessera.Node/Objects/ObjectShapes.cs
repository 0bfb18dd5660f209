using System.Globalization;

namespace Tessera.Node.Objects;

/// <summary>
/// Shapes stored as comma-separated sizes; a leading <c>~</c> marks the first size as an upper bound (the rows of a filter's
/// result, whose real count is private).
/// </summary>
internal static class ObjectShapes
{
    private const char UpperBound = '~';

    public static string Write(ReadOnlySpan<int> shape, bool rowsHidden = false) =>
        (rowsHidden ? UpperBound.ToString() : string.Empty) + string.Join(',', shape.ToArray());

    public static int[] Parse(string text)
    {
        var sizes = text.TrimStart(UpperBound);
        return sizes.Length == 0 ? [] : [.. sizes.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
    }

    public static bool HasHiddenRows(string text) => text.StartsWith(UpperBound);
}
