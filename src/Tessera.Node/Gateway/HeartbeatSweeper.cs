using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Tessera.Node.Gateway;

/// <summary>
/// Deletes domains that have not sent a heartbeat for <see cref="GatewayOptions.PurgeAfter"/>, with their catalogues.
/// Search hides a domain as soon as its liveness window passes; purging only reclaims space (the domain must register again).
/// </summary>
internal sealed class HeartbeatSweeper(IServiceScopeFactory scopes, TimeProvider time, IOptions<GatewayOptions> options, ILogger<HeartbeatSweeper> logger)
    : BackgroundService
{
    /// <summary>Deletes domains last seen before <paramref name="cutoff"/>; returns how many.</summary>
    public static async Task<int> PurgeAsync(GatewayDbContext db, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var stale = db.Domains.Where(d => d.LastSeen < cutoff).Select(d => d.Id);
        await db.Tags.Where(t => stale.Contains(t.DomainId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Datasets.Where(d => stale.Contains(d.DomainId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        var purged = await db.Domains.Where(d => d.LastSeen < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return purged;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
                var cutoff = time.GetUtcNow() - options.Value.PurgeAfter;
                var purged = await PurgeAsync(db, cutoff, stoppingToken).ConfigureAwait(false);
                if (purged > 0)
                {
                    GatewayLog.Purged(logger, purged, cutoff);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                GatewayLog.SweepFailed(logger, ex);
            }
        }
    }
}
