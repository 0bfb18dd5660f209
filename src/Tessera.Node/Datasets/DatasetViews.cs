using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tessera.Contracts;
using Tessera.Node.Storage;

namespace Tessera.Node.Datasets;

/// <summary>Turns dataset rows into their wire form; schema JSON in and out.</summary>
internal static class DatasetViews
{
    private static readonly JsonSerializerOptions SchemaJson = new(JsonSerializerDefaults.Web);

    public static string WriteSchema(IReadOnlyList<DatasetColumn> columns) => JsonSerializer.Serialize(columns, SchemaJson);

    public static IReadOnlyList<DatasetColumn> ReadSchema(string json) =>
        JsonSerializer.Deserialize<List<DatasetColumn>>(json, SchemaJson) ?? [];

    /// <summary>The infos of <paramref name="records"/>, with their tags (and readers when <paramref name="withReaders"/>).</summary>
    public static async Task<List<DatasetInfo>> ToInfosAsync(NodeDbContext db, IReadOnlyList<DatasetRecord> records, bool withReaders,
        CancellationToken cancellationToken)
    {
        var ids = records.Select(r => r.Id).ToList();
        var tags = (await db.Set<DatasetTagRecord>().AsNoTracking().Where(t => ids.Contains(t.DatasetId)).ToListAsync(cancellationToken)
            .ConfigureAwait(false)).ToLookup(t => t.DatasetId, t => t.Tag);
        var readers = withReaders
            ? (await db.Set<DatasetReaderRecord>().AsNoTracking().Where(r => ids.Contains(r.DatasetId)).ToListAsync(cancellationToken)
                .ConfigureAwait(false)).ToLookup(r => r.DatasetId, r => r.UserId)
            : null;
        return records.Select(r => new DatasetInfo(
            r.Id, r.Name, r.Description, r.Format, r.Status,
            tags[r.Id].Order(StringComparer.Ordinal).ToList(),
            ReadSchema(r.SchemaJson),
            r.Rows, r.ContentBytes, r.MockProvided, r.CreatedBy, r.CreatedAt,
            readers?[r.Id].Order(StringComparer.Ordinal).ToList())).ToList();
    }

    public static async Task<DatasetInfo> ToInfoAsync(NodeDbContext db, DatasetRecord record, bool withReaders, CancellationToken cancellationToken) =>
        (await ToInfosAsync(db, [record], withReaders, cancellationToken).ConfigureAwait(false))[0];

    public static string ContentRoute(string id) => ApiRoutes.DatasetContent.Replace("{id}", id, StringComparison.Ordinal);

    public static string MockRoute(string id) => ApiRoutes.DatasetMock.Replace("{id}", id, StringComparison.Ordinal);

    public static string DatasetRoute(string id) => ApiRoutes.Dataset.Replace("{id}", id, StringComparison.Ordinal);

    /// <summary>The file extension and media type of a format.</summary>
    public static (string Extension, string MediaType) FileKind(DatasetFormat format) =>
        format == DatasetFormat.Csv ? (".csv", "text/csv") : (".safetensors", "application/octet-stream");
}
