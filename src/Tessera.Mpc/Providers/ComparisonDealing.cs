namespace Tessera.Mpc.Providers;

/// <summary>
/// The dealer's side of the conversions and comparisons: each method serves, in order, exactly the requests the parties'
/// protocol makes for <c>count</c> elements, so a dealer script reads like the parties' program.
/// </summary>
public static class ComparisonDealing
{
    /// <summary>Serves one <c>ToBinaryAsync</c> of <paramref name="count"/> elements: edaBits(n), AND triples(11n).</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="count">Elements.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public static async ValueTask ServeToBinaryAsync(this ICorrelationServer dealer, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        await dealer.ServeEdaBitsAsync(count, cancellationToken).ConfigureAwait(false);
        await dealer.ServeAndTripleAsync(checked(Protocols.Conversions.AndWordsPerElement * count), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves one <c>BitToArithmeticAsync</c> of <paramref name="count"/> bits: daBits(n).</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="count">Bits.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the correction is sent.</returns>
    public static ValueTask ServeBitToArithmeticAsync(this ICorrelationServer dealer, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        return dealer.ServeDaBitsAsync(count, cancellationToken);
    }

    /// <summary>Serves one <c>LessThanZeroAsync</c>, <c>LessThanAsync</c>, <c>GreaterThanAsync</c>, <c>LessEqualAsync</c> or
    /// <c>GreaterEqualAsync</c> of <paramref name="count"/> elements: edaBits(n), the sign tree's AND triples (about 2n
    /// words), daBits(n).</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="count">Elements.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public static async ValueTask ServeLessThanZeroAsync(this ICorrelationServer dealer, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        await dealer.ServeEdaBitsAsync(count, cancellationToken).ConfigureAwait(false);
        await dealer.ServeSignTreeTriplesAsync(count, cancellationToken).ConfigureAwait(false);
        await dealer.ServeDaBitsAsync(count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves one <c>EqualAsync</c> of <paramref name="count"/> elements (a less-than-zero of 2n).</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="count">Elements.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public static ValueTask ServeEqualAsync(this ICorrelationServer dealer, int count, CancellationToken cancellationToken = default) =>
        dealer.ServeLessThanZeroAsync(checked(2 * count), cancellationToken);

    /// <summary>Serves one <c>ReluAsync</c>, <c>AbsAsync</c>, <c>MaxAsync</c> or <c>MinAsync</c> of <paramref name="count"/>
    /// elements: edaBits(n) and the sign tree's AND triples, then bit products(n) for the product with the bit.</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="count">Elements.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public static async ValueTask ServeReluAsync(this ICorrelationServer dealer, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        await dealer.ServeEdaBitsAsync(count, cancellationToken).ConfigureAwait(false);
        await dealer.ServeSignTreeTriplesAsync(count, cancellationToken).ConfigureAwait(false);
        await dealer.ServeBitProductsAsync(count, cancellationToken).ConfigureAwait(false);
    }
}
