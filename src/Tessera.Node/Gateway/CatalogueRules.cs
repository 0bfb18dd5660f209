using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Contracts;

namespace Tessera.Node.Gateway;

/// <summary>
/// Limits and normalization of what domains send: names, URLs, catalogues and tags. Problems name the offending field by
/// position (<c>datasets[3].tags[2]</c>) and never echo the value back.
/// </summary>
internal static class CatalogueRules
{
    public const int MaxDomainNameLength = 64;
    public const int MaxUrlLength = 2048;
    public const int MaxDatasets = 1000;
    public const int MaxDatasetIdLength = 64;
    public const int MaxDatasetNameLength = 200;
    public const int MaxDescriptionLength = 2000;
    public const int MaxTagsPerDataset = 16;
    public const int MaxTagLength = 64;
    public const int MaxSearchTags = 16;

    /// <summary>The trimmed domain name, or a problem.</summary>
    public static string? DomainName(string? name, out string? problem)
    {
        var trimmed = name?.Trim();
        problem = string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxDomainNameLength || !IsCleanText(trimmed, allowLineBreaks: false)
            ? $"name must be 1 to {MaxDomainNameLength} characters without control characters."
            : null;
        return problem is null ? trimmed : null;
    }

    /// <summary>The domain's base URL in canonical form (no trailing slash), or a problem: only absolute http(s) URLs
    /// without credentials, query or fragment pass, so <c>javascript:</c>, <c>file:</c> and relative URLs do not.</summary>
    public static string? BaseUrl(string? url, out string? problem)
    {
        problem = $"url must be an absolute http or https URL of at most {MaxUrlLength} characters, without credentials, query or fragment.";
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength || !IsCleanText(url, allowLineBreaks: false)
            || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.Host.Length == 0 || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return null;
        }

        var canonical = uri.AbsoluteUri.TrimEnd('/');
        if (canonical.Length > MaxUrlLength)
        {
            return null;
        }

        problem = null;
        return canonical;
    }

    /// <summary>A normalized tag (trimmed, lower-case), or null when it is empty, too long or holds control characters.</summary>
    public static string? Tag(string? tag)
    {
        var normalized = tag?.Trim().ToLowerInvariant();
        return string.IsNullOrEmpty(normalized) || normalized.Length > MaxTagLength || !IsCleanText(normalized, allowLineBreaks: false)
            ? null
            : normalized;
    }

    /// <summary>The normalized catalogue (null list: empty), or a problem naming the first bad field.</summary>
    public static IReadOnlyList<NetworkDatasetEntry>? Catalogue(IReadOnlyList<NetworkDatasetEntry?>? datasets, out string? problem)
    {
        problem = null;
        if (datasets is null)
        {
            return [];
        }

        if (datasets.Count > MaxDatasets)
        {
            problem = $"datasets holds {datasets.Count} entries; at most {MaxDatasets} are accepted per domain.";
            return null;
        }

        var result = new List<NetworkDatasetEntry>(datasets.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < datasets.Count; i++)
        {
            var entry = Dataset(datasets[i], $"datasets[{i}]", out problem);
            if (entry is null)
            {
                return null;
            }

            if (!ids.Add(entry.Id))
            {
                problem = $"datasets[{i}].id repeats an earlier dataset's id; ids must be unique within a domain.";
                return null;
            }

            result.Add(entry);
        }

        return result;
    }

    /// <summary>The hex SHA-256 of a normalized catalogue's canonical JSON.</summary>
    public static string Hash(IReadOnlyList<NetworkDatasetEntry> catalogue) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(catalogue)));

    private static NetworkDatasetEntry? Dataset(NetworkDatasetEntry? entry, string at, out string? problem)
    {
        problem = null;
        if (entry is null)
        {
            problem = $"{at} must be an object with id, name, description and tags.";
            return null;
        }

        if (string.IsNullOrEmpty(entry.Id) || entry.Id.Length > MaxDatasetIdLength || !IsCleanText(entry.Id, allowLineBreaks: false)
            || entry.Id.Trim().Length != entry.Id.Length)
        {
            problem = $"{at}.id must be 1 to {MaxDatasetIdLength} characters without control characters or surrounding spaces.";
            return null;
        }

        var name = entry.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxDatasetNameLength || !IsCleanText(name, allowLineBreaks: false))
        {
            problem = $"{at}.name must be 1 to {MaxDatasetNameLength} characters without control characters.";
            return null;
        }

        var description = string.IsNullOrWhiteSpace(entry.Description) ? null : entry.Description.Trim();
        if (description is not null && (description.Length > MaxDescriptionLength || !IsCleanText(description, allowLineBreaks: true)))
        {
            problem = $"{at}.description must be at most {MaxDescriptionLength} characters without control characters other than line breaks and tabs.";
            return null;
        }

        var tags = entry.Tags ?? [];
        if (tags.Count > MaxTagsPerDataset)
        {
            problem = $"{at}.tags holds {tags.Count} tags; at most {MaxTagsPerDataset} are accepted.";
            return null;
        }

        var normalized = new List<string>(tags.Count);
        for (var j = 0; j < tags.Count; j++)
        {
            if (Tag(tags[j]) is not { } tag)
            {
                problem = $"{at}.tags[{j}] must be 1 to {MaxTagLength} characters without control characters.";
                return null;
            }

            if (!normalized.Contains(tag, StringComparer.Ordinal))
            {
                normalized.Add(tag);
            }
        }

        return new NetworkDatasetEntry(entry.Id, name, description, normalized);
    }

    /// <summary>Whether <paramref name="text"/> has no control characters (bar line breaks and tabs when allowed) and no unpaired surrogates.</summary>
    private static bool IsCleanText(string text, bool allowLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c) || (char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t')))
            {
                return false;
            }
        }

        return true;
    }
}
