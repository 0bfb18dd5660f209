using System.Security.Cryptography.X509Certificates;

namespace Tessera.Mpc.Communication;

/// <summary>
/// How a <see cref="TcpCommunicator"/> reaches and authenticates its peers: the session's endpoints by rank, this
/// party's rank and certificate, the certificate authorities that party certificates must chain to, and limits.
/// </summary>
public sealed record TcpCommunicatorOptions
{
    /// <summary>The default of <see cref="Timeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default of <see cref="ConnectTimeout"/>: 60 seconds.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The default of <see cref="MaxMessageBytes"/>: 1 GiB.</summary>
    public const int DefaultMaxMessageBytes = 1 << 30;

    /// <summary>Every rank's endpoint, indexed by rank (a dealer is one more rank). Required.</summary>
    public required IReadOnlyList<TcpPartyEndpoint> Parties { get; init; }

    /// <summary>This party's rank, an index into <see cref="Parties"/>. Required.</summary>
    public required int Rank { get; init; }

    /// <summary>This party's certificate, with its private key; it must name this rank's <see cref="TcpPartyEndpoint.Name"/>. Required.</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>
    /// The certificate authorities (roots) that peers' certificates must chain to. Only these are trusted: the
    /// system's roots are not used, and revocation is not checked. Required, at least one.
    /// </summary>
    public required X509Certificate2Collection TrustedRoots { get; init; }

    /// <summary>How long a send or receive may wait for a peer before it throws <see cref="PartyDisconnectedException"/>.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>How long <see cref="TcpCommunicator.ConnectAsync(TcpCommunicatorOptions, CancellationToken)"/> keeps dialing and waiting for peers that are starting up.</summary>
    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;

    /// <summary>The largest message accepted, in bytes; a peer announcing a longer frame is disconnected with an error.</summary>
    public int MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>Throws when the options cannot make a session.</summary>
    /// <exception cref="ArgumentException">An endpoint, the rank, the certificate or a limit is wrong.</exception>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Parties, nameof(Parties));
        ArgumentNullException.ThrowIfNull(Certificate, nameof(Certificate));
        ArgumentNullException.ThrowIfNull(TrustedRoots, nameof(TrustedRoots));
        if (Parties.Count < 2)
        {
            throw new ArgumentException($"A session needs at least 2 ranks; {Parties.Count} given.", nameof(Parties));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(Rank, nameof(Rank));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(Rank, Parties.Count, nameof(Rank));
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var r = 0; r < Parties.Count; r++)
        {
            var endpoint = Parties[r] ?? throw new ArgumentException($"The endpoint of rank {r} is null.", nameof(Parties));
            endpoint.Validate(r);
            if (!names.Add(endpoint.Name))
            {
                throw new ArgumentException($"Rank {r} has the name '{endpoint.Name}' of an earlier rank; names must be unique.", nameof(Parties));
            }
        }

        if (!Certificate.HasPrivateKey)
        {
            throw new ArgumentException("This party's certificate has no private key.", nameof(Certificate));
        }

        if (TrustedRoots.Count == 0)
        {
            throw new ArgumentException("At least one trusted root certificate is needed.", nameof(TrustedRoots));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageBytes, 1, nameof(MaxMessageBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxMessageBytes, Array.MaxLength, nameof(MaxMessageBytes));
    }
}
