namespace Tessera.Mpc.Communication;

/// <summary>
/// Where one rank of a TCP session listens and who it is: its certificate must name <see cref="Name"/>, as a DNS
/// subject alternative name or (when the certificate has no DNS names) as its subject common name.
/// </summary>
/// <param name="Host">The host name or IP address the other ranks dial. A party given an IP address listens on that
/// address only; given a name, it listens on all addresses (IPv4 and IPv6).</param>
/// <param name="Port">The TCP port (1-65535).</param>
/// <param name="Name">The identity this rank's certificate must carry, such as "party0.tessera"; unique in the session.</param>
public sealed record TcpPartyEndpoint(string Host, int Port, string Name)
{
    /// <summary>Throws when the endpoint cannot be used.</summary>
    /// <param name="rank">The endpoint's rank, for the message.</param>
    /// <exception cref="ArgumentException">The host or name is empty or the port is out of range.</exception>
    internal void Validate(int rank)
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException($"The endpoint of rank {rank} has no host.", "parties");
        }

        if (Port is < 1 or > 65535)
        {
            throw new ArgumentException($"The endpoint of rank {rank} has port {Port}; it must be 1-65535.", "parties");
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException($"The endpoint of rank {rank} has no certificate name.", "parties");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Host}:{Port})";
}
