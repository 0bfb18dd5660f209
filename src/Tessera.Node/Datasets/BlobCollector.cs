using Microsoft.EntityFrameworkCore;
using Tessera.Node.Storage;

namespace Tessera.Node.Datasets;

/// <summary>
/// Deletes blobs that no dataset or object references: what a crash leaves between moving a blob into place and committing
/// the row that names it. Runs at start-up, before the node accepts requests, so no upload can be in flight.
/// </summary>
internal static class BlobCollector
{
    public static async Task<int> CollectAsync(NodeDbContext db, DatasetBlobStore store, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(store.Root))
        {
            return 0;
        }

        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in await db.Set<DatasetRecord>().AsNoTracking().Select(d => new { d.ContentSha256, d.MockSha256 })
            .ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            referenced.UnionWith(new[] { d.ContentSha256, d.MockSha256 }.OfType<string>());
        }

        referenced.UnionWith(await db.Objects.AsNoTracking().Select(o => o.BlobSha256).ToListAsync(cancellationToken).ConfigureAwait(false));
        var deleted = 0;
        foreach (var path in Directory.EnumerateFiles(store.Root))
        {
            var name = Path.GetFileName(path);
            if (name.Length == 64 && name.All(char.IsAsciiHexDigitLower) && !referenced.Contains(name))
            {
                File.Delete(path);
                deleted++;
            }
        }

        return deleted;
    }
}
