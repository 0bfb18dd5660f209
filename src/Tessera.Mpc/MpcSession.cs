using Tessera.Mpc.Communication;
using Tessera.Mpc.Encoding;
using Tessera.Mpc.Providers;
using Tessera.Mpc.Randomness;

namespace Tessera.Mpc;

/// <summary>
/// One computing party's view of an MPC session: its rank among the computing parties, their number, the communicator,
/// the correlated-randomness provider, options and random source. Everything a protocol needs is here; nothing is
/// global. The protocols are extension methods in <c>Tessera.Mpc.Protocols</c>.
/// </summary>
/// <remarks>
/// Ranks 0 .. <see cref="Parties"/> - 1 compute; a dealer, if any, holds the communicator's last rank
/// (<see cref="DealerRank"/>). Start-up (<see cref="CreateAsync"/>) exchanges pairwise PRG seeds for zero-sharings (one
/// 16-byte message to the next party) and initialises the provider. A session runs one protocol at a time (its PRG
/// streams and provider are consumed in program order, the same on every party) and owns the provider.
/// </remarks>
public sealed class MpcSession : IDisposable, IAsyncDisposable
{
    private AesCtrPrg? _commonRandom;

    private MpcSession(
        ICommunicator communicator, int parties, ICorrelationProvider provider, IRandomSource random, MpcSessionOptions options)
    {
        Communicator = communicator;
        Parties = parties;
        Provider = provider;
        Random = random;
        Options = options;
        Encoder = new FixedPointEncoder(options.FractionalBits);
    }

    /// <summary>This party's rank, 0 .. <see cref="Parties"/> - 1.</summary>
    public int Rank => Communicator.Rank;

    /// <summary>How many computing parties hold shares (a dealer is not counted).</summary>
    public int Parties { get; }

    /// <summary>Whether the communicator has one more rank than there are computing parties, for a dealer.</summary>
    public bool HasDealer => Communicator.Parties > Parties;

    /// <summary>The dealer's rank (the communicator's last) when <see cref="HasDealer"/>; otherwise -1.</summary>
    public int DealerRank => HasDealer ? Communicator.Parties - 1 : -1;

    /// <summary>The messages to the other parties.</summary>
    public ICommunicator Communicator { get; }

    /// <summary>Where triples and truncation pairs come from.</summary>
    public ICorrelationProvider Provider { get; }

    /// <summary>The session's settings.</summary>
    public MpcSessionOptions Options { get; }

    /// <summary>This party's random source.</summary>
    public IRandomSource Random { get; }

    /// <summary>The fixed-point encoding with <see cref="MpcSessionOptions.FractionalBits"/>.</summary>
    public FixedPointEncoder Encoder { get; }

    /// <summary>Fractional bits of fixed-point values.</summary>
    public int FractionalBits => Options.FractionalBits;

    internal PairwiseZeroSharing ZeroSharing { get; private set; } = null!;

    /// <summary>Starts a session: exchanges zero-sharing seeds with the neighbouring parties and initialises the provider.</summary>
    /// <param name="communicator">This party's communicator; its rank must be below <paramref name="parties"/>.</param>
    /// <param name="parties">How many computing parties (at least 2).</param>
    /// <param name="provider">The correlated-randomness provider (the session owns it from now on).</param>
    /// <param name="random">Where this party's seeds come from (<see cref="CryptoRandomSource"/> outside tests).</param>
    /// <param name="options">Settings, the same on every party; null for defaults.</param>
    /// <param name="cancellationToken">Cancels the start-up.</param>
    /// <returns>The session.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The party count or rank does not fit the communicator.</exception>
    /// <exception cref="PartyDisconnectedException">A peer did not take part in time.</exception>
    public static async Task<MpcSession> CreateAsync(
        ICommunicator communicator,
        int parties,
        ICorrelationProvider provider,
        IRandomSource random,
        MpcSessionOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(random);
        options ??= new MpcSessionOptions();
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(parties, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parties, communicator.Parties);
        if (communicator.Rank >= parties)
        {
            throw new ArgumentOutOfRangeException(
                nameof(communicator), $"Rank {communicator.Rank} is not a computing party of {parties} (ranks 0 to {parties - 1}).");
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Ring elements travel little-endian; big-endian hosts are not supported.");
        }

        using var setup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        setup.CancelAfter(options.SetupTimeout);
        var session = new MpcSession(communicator, parties, provider, random, options);
        try
        {
            session.ZeroSharing = await PairwiseZeroSharing.CreateAsync(communicator, parties, random, setup.Token)
                .ConfigureAwait(false);
            await provider.InitializeAsync(session, setup.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (setup.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            session.Dispose();
            throw new PartyDisconnectedException(
                $"Party {communicator.Rank} could not start the session within {options.SetupTimeout.TotalSeconds:0.###} s.");
        }
        catch
        {
            session.Dispose();
            throw;
        }

        return session;
    }

    /// <summary>
    /// Tells the provider's counterpart (an on-request dealer) that this party is finished, then releases the PRG keys and
    /// the provider (not the communicator, which the caller owns). Prefer it to <see cref="Dispose"/> (which says goodbye
    /// only on a best-effort basis).
    /// </summary>
    /// <returns>A task that completes when the session is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Provider.CloseAsync().ConfigureAwait(false);
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>
    /// A random stream that every computing party of this session draws identically: the first call exchanges a seed from
    /// each party's random source (1 round, 16 bytes to each other party; every party must call it at the same point) and
    /// uses their XOR, so no party that follows the protocol chooses it (one that waits for the others' seeds before
    /// sending its own could bias it, as in any semi-honest coin toss). It is public to the computing parties: use it only for randomness that must
    /// not depend on the data and may be known to them (dropout masks), never to mask a secret.
    /// </summary>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The stream (owned by the session).</returns>
    internal async ValueTask<AesCtrPrg> CommonRandomAsync(CancellationToken cancellationToken)
    {
        if (_commonRandom is not null)
        {
            return _commonRandom;
        }

        var own = AesCtrPrg.NewSeed(Random);
        var seed = (byte[])own.Clone();
        using (Communicator.BeginOperation("common-random"))
        {
            for (var peer = 0; peer < Parties; peer++)
            {
                if (peer != Rank)
                {
                    await Communicator.SendAsync(peer, own, cancellationToken).ConfigureAwait(false);
                }
            }

            Communicator.CountRound();
            for (var peer = 0; peer < Parties; peer++)
            {
                if (peer == Rank)
                {
                    continue;
                }

                var theirs = await Communicator.ReceiveAsync(peer, cancellationToken).ConfigureAwait(false);
                if (theirs.Length != AesCtrPrg.SeedBytes)
                {
                    throw new InvalidDataException($"Party {peer} sent a {theirs.Length}-byte common seed; a seed has {AesCtrPrg.SeedBytes} bytes.");
                }

                for (var i = 0; i < seed.Length; i++)
                {
                    seed[i] ^= theirs[i];
                }
            }
        }

        _commonRandom = new AesCtrPrg(seed);
        Array.Clear(seed);
        Array.Clear(own);
        return _commonRandom;
    }

    /// <summary>Releases the PRG keys and the provider (not the communicator, which the caller owns).</summary>
    public void Dispose()
    {
        _commonRandom?.Dispose();
        ZeroSharing?.Dispose();
        Provider.Dispose();
    }
}
