using Tessera.Mpc.Protocols;

namespace Tessera.Mpc.Providers;

/// <summary>
/// The dealer's side of <see cref="Approximations"/>: each method serves, in order, exactly the requests the parties make
/// for <c>count</c> elements, given the session's fractional bits and the same options the parties use.
/// </summary>
public static class ApproximationDealing
{
    /// <summary>Serves one <c>ExpAsync</c>: (a base truncation when f + n exceeds the working bits, then) n times an
    /// elementwise triple and a truncation pair.</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="count">Elements.</param>
    /// <param name="fractionalBits">The session's fractional bits.</param>
    /// <param name="options">The parties' options (null for the defaults).</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public static ValueTask ServeExpAsync(
        this ICorrelationServer dealer, int count, int fractionalBits = 16, ExpOptions? options = null, CancellationToken cancellationToken = default) =>
        ServeExpCoreAsync(dealer, count, fractionalBits, options, 0, cancellationToken);

    /// <summary>Serves one <c>InverseSqrtAsync</c>: an exp, a truncation of the guess, then per Newton step three
    /// products with truncations.</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="count">Elements.</param>
    /// <param name="fractionalBits">The session's fractional bits.</param>
    /// <param name="options">The parties' options (null for the defaults).</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public static async ValueTask ServeInverseSqrtAsync(
        this ICorrelationServer dealer, int count, int fractionalBits = 16, InverseSqrtOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        options ??= new InverseSqrtOptions();
        options.Validate(fractionalBits);
        await ServeExpCoreAsync(dealer, count, fractionalBits, options.Exp, 1, cancellationToken).ConfigureAwait(false);
        await dealer.ServeTruncationPairAsync(count, fractionalBits, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < options.Iterations; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                // y * y first (a square pair), then x * y^2 and y * (3 - x y^2) / 2.
                await dealer.ServeTripleAsync(j == 0 ? TripleRequest.Square(count) : TripleRequest.Elementwise(count), cancellationToken)
                    .ConfigureAwait(false);
                await dealer.ServeTruncationPairAsync(count, j == 2 ? fractionalBits + 1 : fractionalBits, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    /// <summary>Serves one <c>SqrtAsync</c>: an inverse square root, then a product with a truncation.</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="count">Elements.</param>
    /// <param name="fractionalBits">The session's fractional bits.</param>
    /// <param name="options">The parties' options (null for the defaults).</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public static async ValueTask ServeSqrtAsync(
        this ICorrelationServer dealer, int count, int fractionalBits = 16, InverseSqrtOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        await dealer.ServeInverseSqrtAsync(count, fractionalBits, options, cancellationToken).ConfigureAwait(false);
        await dealer.ServeTripleAsync(TripleRequest.Elementwise(count), cancellationToken).ConfigureAwait(false);
        await dealer.ServeTruncationPairAsync(count, fractionalBits, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask ServeExpCoreAsync(
        ICorrelationServer dealer, int count, int fractionalBits, ExpOptions? options, int halvings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        options ??= new ExpOptions();
        options.Validate(fractionalBits);
        await ServeExpSquaresAsync(dealer, count, fractionalBits, options, halvings, cancellationToken).ConfigureAwait(false);
        await dealer.ServeTruncationPairAsync(count, Approximations.ExpSquareShift(fractionalBits, options, options.Iterations - 1), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>exp's requests up to its last square (all but the final truncation).</summary>
    private static async ValueTask ServeExpSquaresAsync(
        ICorrelationServer dealer, int count, int fractionalBits, ExpOptions options, int halvings, CancellationToken cancellationToken)
    {
        var baseShift = Approximations.ExpBaseShift(fractionalBits, options, halvings);
        if (baseShift > 0)
        {
            await dealer.ServeSquaringTruncationPairAsync(count, baseShift, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await dealer.ServeTripleAsync(TripleRequest.Square(count), cancellationToken).ConfigureAwait(false);
        }

        for (var step = 0; step < options.Iterations - 1; step++)
        {
            await dealer.ServeSquaringTruncationPairAsync(count, Approximations.ExpSquareShift(fractionalBits, options, step), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>Serves one <c>ReciprocalAsync</c>: an exp, then two products with truncations per Newton step.</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="count">Elements.</param>
    /// <param name="fractionalBits">The session's fractional bits.</param>
    /// <param name="options">The parties' options (null for the defaults).</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public static async ValueTask ServeReciprocalAsync(
        this ICorrelationServer dealer, int count, int fractionalBits = 16, ReciprocalOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        options ??= new ReciprocalOptions();
        options.Validate(fractionalBits);
        await dealer.ServeExpAsync(count, fractionalBits, options.Exp, cancellationToken).ConfigureAwait(false);
        await ServeNewtonAsync(dealer, count, fractionalBits, options.Iterations, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves one <c>SigmoidAsync</c> or <c>TanhAsync</c>: two sign trees each followed by a bit injection (the sign
    /// with -|x|, then the clamp), an exp whose last truncation is a squaring one, the product d d^2, a truncation of the
    /// guess, the Newton steps and a final bit injection with the sign bits.</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="count">Elements.</param>
    /// <param name="fractionalBits">The session's fractional bits.</param>
    /// <param name="options">The parties' options (null for the defaults).</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task that completes when the corrections are sent.</returns>
    public static async ValueTask ServeSigmoidAsync(
        this ICorrelationServer dealer, int count, int fractionalBits = 16, SigmoidOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dealer);
        options ??= new SigmoidOptions();
        options.Validate(fractionalBits);
        // The sign and -|x|, then the clamp: each a sign tree and a bit injection, as a ReLU.
        await dealer.ServeReluAsync(count, cancellationToken).ConfigureAwait(false);
        await dealer.ServeReluAsync(count, cancellationToken).ConfigureAwait(false);
        await ServeExpSquaresAsync(dealer, count, fractionalBits, options.Exp, 0, cancellationToken).ConfigureAwait(false);

        // d and d^2 from exp's last truncation, d^3, the guess's truncation to f, then Newton.
        var g = Approximations.SigmoidDenominatorBits(fractionalBits);
        await dealer.ServeSquaringTruncationPairAsync(count, (2 * options.Exp.WorkingBits(fractionalBits)) - g, cancellationToken).ConfigureAwait(false);
        await dealer.ServeTripleAsync(TripleRequest.Elementwise(count), cancellationToken).ConfigureAwait(false);
        await dealer.ServeTruncationPairAsync(count, Approximations.SigmoidGuessBits - fractionalBits, cancellationToken).ConfigureAwait(false);
        await ServeNewtonAsync(dealer, count, fractionalBits, options.ReciprocalIterations, cancellationToken).ConfigureAwait(false);
        await dealer.ServeBitProductsAsync(count, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask ServeNewtonAsync(
        ICorrelationServer dealer, int count, int fractionalBits, int iterations, CancellationToken cancellationToken)
    {
        for (var i = 0; i < iterations; i++)
        {
            if (Approximations.FusesNewtonTruncation(fractionalBits))
            {
                await dealer.ServeTripleAsync(TripleRequest.Elementwise(count), cancellationToken).ConfigureAwait(false);
                await dealer.ServeTripleAsync(TripleRequest.Elementwise(count), cancellationToken).ConfigureAwait(false);
                await dealer.ServeTruncationPairAsync(count, 2 * fractionalBits, cancellationToken).ConfigureAwait(false);
                continue;
            }

            for (var j = 0; j < 2; j++)
            {
                await dealer.ServeTripleAsync(TripleRequest.Elementwise(count), cancellationToken).ConfigureAwait(false);
                await dealer.ServeTruncationPairAsync(count, fractionalBits, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
