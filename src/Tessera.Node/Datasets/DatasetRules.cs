using Tessera.Contracts;

namespace Tessera.Node.Datasets;

/// <summary>What a dataset's metadata may hold: names, descriptions, tags, schema and request ids.</summary>
internal static class DatasetRules
{
    public const int MaxNameLength = 128;
    public const int MaxDescriptionLength = 4000;
    public const int MaxTags = 16;
    public const int MaxTagLength = 32;
    public const int MaxColumns = 4096;
    public const int MaxColumnNameLength = 128;
    public const int MaxReaders = 1000;
    public const int MaxRequestIdLength = 64;

    /// <summary>The lower-cased tag, or null when it is not 1 to 32 characters of [a-z0-9-].</summary>
    public static string? NormalizeTag(string? tag)
    {
        var t = tag?.Trim().ToLowerInvariant();
        return t is { Length: > 0 and <= MaxTagLength } && t.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') ? t : null;
    }

    /// <summary>Why the request is unacceptable, or null; on success <paramref name="tags"/> holds the normalised tags.</summary>
    public static string? Problem(DatasetCreateRequest request, out List<string> tags)
    {
        tags = [];
        if (request.Name is null || request.Name.Trim().Length is 0 or > MaxNameLength || HasControl(request.Name.Trim(), allowLineBreaks: false))
        {
            return $"The name must be 1 to {MaxNameLength} characters without control characters.";
        }

        if (request.Description is { } d && (d.Length > MaxDescriptionLength || HasControl(d, allowLineBreaks: true)))
        {
            return $"The description must be at most {MaxDescriptionLength} characters without control characters other than line breaks and tabs.";
        }

        if (!Enum.IsDefined(request.Format))
        {
            return "The format must be Csv or SafeTensors.";
        }

        foreach (var tag in request.Tags ?? [])
        {
            var normalized = NormalizeTag(tag);
            if (normalized is null)
            {
                return $"Tags are 1 to {MaxTagLength} characters of a-z, 0-9 and '-'; one of the tags is not.";
            }

            if (!tags.Contains(normalized))
            {
                tags.Add(normalized);
            }
        }

        if (tags.Count > MaxTags)
        {
            return $"A dataset has at most {MaxTags} tags; the request has {tags.Count}.";
        }

        return ColumnsProblem(request.Columns) ?? ReadersProblem(request.ReaderIds);
    }

    /// <summary>Whether <paramref name="requestId"/> is 1 to 64 characters of [A-Za-z0-9._:-].</summary>
    public static bool IsRequestId(string? requestId) =>
        requestId is { Length: > 0 and <= MaxRequestIdLength } && requestId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    private static string? ColumnsProblem(IReadOnlyList<DatasetColumn>? columns)
    {
        if (columns is null || columns.Count is 0 or > MaxColumns)
        {
            return $"The schema must declare 1 to {MaxColumns} columns (or tensors), each with a name, min and max.";
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            if (column?.Name is null || column.Name.Length is 0 or > MaxColumnNameLength || column.Name != column.Name.Trim()
                || HasControl(column.Name, allowLineBreaks: false))
            {
                return $"columns[{i}]: a name is 1 to {MaxColumnNameLength} characters without control characters or surrounding spaces.";
            }

            if (!names.Add(column.Name))
            {
                return $"columns[{i}]: the name '{column.Name}' is declared twice.";
            }

            if (!double.IsFinite(column.Min) || !double.IsFinite(column.Max) || column.Min > column.Max)
            {
                return $"columns[{i}] ('{column.Name}'): min and max must be finite numbers with min <= max.";
            }
        }

        return null;
    }

    private static string? ReadersProblem(IReadOnlyList<string>? readerIds)
    {
        if (readerIds is { Count: > MaxReaders })
        {
            return $"At most {MaxReaders} readers may be named.";
        }

        for (var i = 0; i < (readerIds?.Count ?? 0); i++)
        {
            if (!Security.Ids.LooksLikeId(readerIds![i]))
            {
                return $"readerIds[{i}] is not a user id of this node.";
            }
        }

        return null;
    }

    private static bool HasControl(string text, bool allowLineBreaks) =>
        text.Any(c => char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t'));
}
