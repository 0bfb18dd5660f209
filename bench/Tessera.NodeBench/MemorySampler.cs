namespace Tessera.NodeBench;

/// <summary>Samples the node's resident set every 20 ms and keeps the largest value seen since the last <see cref="Reset"/>.</summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private readonly NodeProcess _node;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _windowMax;

    public MemorySampler(NodeProcess node)
    {
        _node = node;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Starts a new window; answers the largest RSS of the window that ends, in bytes.</summary>
    public long Reset()
    {
        var now = _node.Memory().Rss;
        return Math.Max(Interlocked.Exchange(ref _windowMax, now), now);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var rss = _node.Memory().Rss;
            long seen;
            do
            {
                seen = Interlocked.Read(ref _windowMax);
            }
            while (rss > seen && Interlocked.CompareExchange(ref _windowMax, rss, seen) != seen);

            await Task.Delay(20, _stop.Token).ConfigureAwait(false);
        }
    }
}
