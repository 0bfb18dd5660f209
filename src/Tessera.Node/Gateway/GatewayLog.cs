namespace Tessera.Node.Gateway;

/// <summary>The gateway's log messages, with stable event ids. They carry ids and counts, never secrets or hashes.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Domain {DomainId} registered with {Datasets} datasets.")]
    public static partial void Registered(ILogger logger, string domainId, int datasets);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Domain {DomainId} replaced its catalogue: {Datasets} datasets.")]
    public static partial void CatalogueReplaced(ILogger logger, string domainId, int datasets);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "A heartbeat was refused: unknown domain or wrong secret.")]
    public static partial void HeartbeatRefused(ILogger logger);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Purged {Domains} domains silent since before {Cutoff}.")]
    public static partial void Purged(ILogger logger, int domains, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "The heartbeat sweep failed; it will run again.")]
    public static partial void SweepFailed(ILogger logger, Exception exception);
}
