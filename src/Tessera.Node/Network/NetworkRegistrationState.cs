namespace Tessera.Node.Network;

/// <summary>What the gateway answered at registration: the domain id and the heartbeat secret (never logged).</summary>
internal sealed record NetworkRegistrationState(string DomainId, string Secret)
{
    /// <summary>Keeps the secret out of logs and debugger displays.</summary>
    public override string ToString() => $"NetworkRegistrationState {{ DomainId = {DomainId} }}";
}
