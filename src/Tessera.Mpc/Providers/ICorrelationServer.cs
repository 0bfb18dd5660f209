namespace Tessera.Mpc.Providers;

/// <summary>
/// What a dealer script talks to: one method per kind of correlated randomness. <see cref="TrustedDealer"/> serves each
/// call; a request plan records it instead, so that the same script that drives a dealer also tells party 0 which
/// requests an operation will make (<see cref="ICorrelationProvider.AnnounceAheadAsync"/>). The dealing classes
/// (<see cref="ComparisonDealing"/>, <see cref="ApproximationDealing"/>, ...) are written against this interface.
/// </summary>
public interface ICorrelationServer
{
    /// <summary>Serves one Beaver triple.</summary>
    /// <param name="request">The triple's kind and shapes.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the correction is sent.</returns>
    ValueTask ServeTripleAsync(TripleRequest request, CancellationToken cancellationToken = default);

    /// <summary>Serves <paramref name="count"/> truncation pairs for a shift of <paramref name="shift"/> bits.</summary>
    /// <param name="count">Pairs.</param>
    /// <param name="shift">Bits.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the correction is sent.</returns>
    ValueTask ServeTruncationPairAsync(int count, int shift, CancellationToken cancellationToken = default);

    /// <summary>Serves <paramref name="count"/> squaring truncation pairs (<see cref="SquaringTruncationPair"/>).</summary>
    /// <param name="count">Pairs.</param>
    /// <param name="shift">Bits.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the correction is sent.</returns>
    ValueTask ServeSquaringTruncationPairAsync(int count, int shift, CancellationToken cancellationToken = default);

    /// <summary>Serves <paramref name="count"/> words of AND triples.</summary>
    /// <param name="count">Words (64 bit triples each).</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the correction is sent.</returns>
    ValueTask ServeAndTripleAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>Serves the AND triples of a sign tree of <paramref name="count"/> elements (see
    /// <see cref="ICorrelationProvider.GetSignTreeTriplesAsync"/>).</summary>
    /// <param name="count">Elements.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the correction is sent.</returns>
    ValueTask ServeSignTreeTriplesAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>Serves <paramref name="count"/> edaBits.</summary>
    /// <param name="count">Elements.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the correction is sent.</returns>
    ValueTask ServeEdaBitsAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>Serves <paramref name="count"/> daBits.</summary>
    /// <param name="count">Bits.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the correction is sent.</returns>
    ValueTask ServeDaBitsAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>Serves <paramref name="count"/> bit products (<see cref="BitProducts"/>).</summary>
    /// <param name="count">Elements.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the correction is sent.</returns>
    ValueTask ServeBitProductsAsync(int count, CancellationToken cancellationToken = default);
}
