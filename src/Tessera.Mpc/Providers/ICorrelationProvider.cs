namespace Tessera.Mpc.Providers;

/// <summary>
/// Where a party gets correlated randomness (Beaver triples, truncation pairs). Every party of a session calls it with
/// the same requests in the same order; the requests carry shapes only, never values.
/// </summary>
/// <remarks>
/// Open for more material: conv2d triples arrive as new <see cref="TripleKind"/> values. The binary material (AND
/// triples, edaBits, daBits) has default implementations that throw <see cref="NotSupportedException"/>, so a provider
/// without it still compiles.
/// </remarks>
public interface ICorrelationProvider : IDisposable
{
    /// <summary>Sets the provider up for <paramref name="session"/> (called once, by the session while it starts).</summary>
    /// <param name="session">The session.</param>
    /// <param name="cancellationToken">Cancels the set-up.</param>
    /// <returns>A task that completes when the provider is ready.</returns>
    ValueTask InitializeAsync(MpcSession session, CancellationToken cancellationToken = default);

    /// <summary>Tells the provider's counterpart that this party needs nothing more (called by <see cref="MpcSession.DisposeAsync"/>).</summary>
    /// <param name="cancellationToken">Cancels the goodbye.</param>
    /// <returns>A task that completes when the counterpart has been told.</returns>
    ValueTask CloseAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>
    /// Tells the provider which requests the operation about to run will make, in order (<paramref name="script"/> is the
    /// operation's dealer script), so that it can fetch them ahead; the default ignores it.
    /// </summary>
    /// <param name="script">The operation's dealer script.</param>
    /// <param name="cancellationToken">Cancels the announcement.</param>
    /// <returns>A task that completes when the plan is announced.</returns>
    ValueTask AnnounceAheadAsync(Func<ICorrelationServer, ValueTask> script, CancellationToken cancellationToken = default) =>
        ValueTask.CompletedTask;

    /// <summary>This party's shares of a Beaver triple.</summary>
    /// <param name="request">The product and shapes.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The shares.</returns>
    ValueTask<BeaverTriple> GetTripleAsync(TripleRequest request, CancellationToken cancellationToken = default);

    /// <summary>This party's shares of <paramref name="count"/> truncation pairs for a shift of <paramref name="shift"/> bits.</summary>
    /// <param name="count">How many.</param>
    /// <param name="shift">The shift, 1 to 62.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The shares.</returns>
    ValueTask<TruncationPair> GetTruncationPairAsync(int count, int shift, CancellationToken cancellationToken = default);

    /// <summary>This party's shares of <paramref name="count"/> squaring truncation pairs (<see cref="SquaringTruncationPair"/>).</summary>
    /// <param name="count">How many.</param>
    /// <param name="shift">The shift, 1 to 62.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The shares.</returns>
    /// <exception cref="NotSupportedException">The provider has no such material.</exception>
    ValueTask<SquaringTruncationPair> GetSquaringTruncationPairAsync(int count, int shift, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} provides no squaring truncation pairs.");

    /// <summary>This party's XOR shares of <paramref name="count"/> AND triples (64 bit triples per word).</summary>
    /// <param name="count">How many words.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The shares.</returns>
    /// <exception cref="NotSupportedException">The provider has no binary material.</exception>
    ValueTask<AndTriple> GetAndTripleAsync(int count, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} provides no AND triples.");

    /// <summary>
    /// This party's XOR shares of the AND triples a sign tree of <paramref name="count"/> elements consumes
    /// (<c>SignBit.AndWords(count)</c> words), laid out level by level; at every level but the last, the second half's a
    /// repeats the first half's, so the left operand, which both halves share, is masked and opened once.
    /// </summary>
    /// <param name="count">Elements whose top bits the tree computes.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The shares (A holds all words; the repeated halves of a are never read).</returns>
    /// <exception cref="NotSupportedException">The provider has no binary material.</exception>
    ValueTask<AndTriple> GetSignTreeTriplesAsync(int count, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} provides no AND triples.");

    /// <summary>This party's shares of <paramref name="count"/> random ring elements r, additive, and -r, XOR-shared.</summary>
    /// <param name="count">How many.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The shares.</returns>
    /// <exception cref="NotSupportedException">The provider has no binary material.</exception>
    ValueTask<EdaBits> GetEdaBitsAsync(int count, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} provides no edaBits.");

    /// <summary>This party's shares of <paramref name="count"/> random bits, XOR-shared (packed) and additive.</summary>
    /// <param name="count">How many.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The shares.</returns>
    /// <exception cref="NotSupportedException">The provider has no binary material.</exception>
    ValueTask<DaBits> GetDaBitsAsync(int count, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} provides no daBits.");

    /// <summary>This party's shares of <paramref name="count"/> bit products (<see cref="BitProducts"/>): random bits in
    /// both domains, random ring elements and their products.</summary>
    /// <param name="count">How many.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The shares.</returns>
    /// <exception cref="NotSupportedException">The provider has no binary material.</exception>
    ValueTask<BitProducts> GetBitProductsAsync(int count, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} provides no bit products.");
}
