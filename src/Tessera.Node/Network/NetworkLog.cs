namespace Tessera.Node.Network;

/// <summary>The node's network-listing log messages, with stable event ids; never the domain secret.</summary>
internal static partial class NetworkLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Registered with the network at {Gateway} as domain {DomainId} with {Datasets} datasets.")]
    public static partial void Registered(ILogger logger, string gateway, string domainId, int datasets);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "The network no longer knows domain {DomainId}; registering again.")]
    public static partial void Forgotten(ILogger logger, string domainId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Could not reach the network at {Gateway} ({Error}: {Message}); retrying at the next heartbeat.")]
    public static partial void Failed(ILogger logger, string gateway, string error, string message);
}
