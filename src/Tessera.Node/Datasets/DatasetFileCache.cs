using Microsoft.Extensions.Caching.Memory;
using Tessera.Data;
using Tessera.Serialization;

namespace Tessera.Node.Datasets;

/// <summary>
/// Parsed dataset files (CSV tables, safetensors files) kept in memory between plans, keyed by their content hash (so a
/// replaced or deleted dataset can never be served stale), least recently used first out beyond a byte budget. The cached
/// arrays are shared: callers must never write into them.
/// </summary>
internal sealed class DatasetFileCache : IDisposable
{
    /// <summary>The default budget: 512 MiB of parsed values.</summary>
    public const long DefaultBudgetBytes = 512L << 20;

    private readonly MemoryCache _cache;

    public DatasetFileCache(long budgetBytes = DefaultBudgetBytes) =>
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = budgetBytes, CompactionPercentage = 0.25 });

    /// <summary>The dataset's parsed file: a <see cref="CsvTable"/> or a <see cref="SafeTensorsFile"/>.</summary>
    public object Get(DatasetRecord dataset, DatasetBlobStore blobs)
    {
        var sha = dataset.ContentSha256 ?? throw new InvalidOperationException($"Dataset {dataset.Id} has no content.");
        if (_cache.TryGetValue(sha, out var cached) && cached is not null)
        {
            return cached;
        }

        var path = blobs.PathOf(sha);
        object file = dataset.Format == Contracts.DatasetFormat.Csv ? CsvReader.Read(path) : SafeTensors.Load(path);
        var size = file is CsvTable table ? (long)table.RowCount * table.ColumnNames.Count * sizeof(double) : new FileInfo(path).Length;
        _cache.Set(sha, file, new MemoryCacheEntryOptions { Size = Math.Max(1, size), SlidingExpiration = TimeSpan.FromMinutes(30) });
        return file;
    }

    public void Dispose() => _cache.Dispose();
}
