using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;

namespace Tessera.Mpc;

/// <content>Comparisons and the functions built on them (exact; see <see cref="Comparisons"/>).</content>
public sealed partial class EncryptedTensor
{
    /// <summary>[this &lt; other] elementwise, shares of 0/1 with 0 fractional bits; 8 rounds.</summary>
    /// <param name="other">An encrypted tensor of the same shape and scale.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The bits.</returns>
    public async ValueTask<EncryptedTensor> LessThanAsync(EncryptedTensor other, CancellationToken cancellationToken = default) =>
        new(await Session.LessThanAsync(Shares, Unwrap(other), cancellationToken).ConfigureAwait(false));

    /// <summary>[this &lt; c] elementwise for a public scalar; 8 rounds.</summary>
    /// <param name="value">The public threshold.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The bits.</returns>
    public async ValueTask<EncryptedTensor> LessThanAsync(double value, CancellationToken cancellationToken = default) =>
        new(await Session.LessThanZeroAsync(Sub(value).Shares, cancellationToken).ConfigureAwait(false));

    /// <summary>[this &gt; other] elementwise; 8 rounds.</summary>
    /// <param name="other">An encrypted tensor of the same shape and scale.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The bits.</returns>
    public async ValueTask<EncryptedTensor> GreaterThanAsync(EncryptedTensor other, CancellationToken cancellationToken = default) =>
        new(await Session.GreaterThanAsync(Shares, Unwrap(other), cancellationToken).ConfigureAwait(false));

    /// <summary>[this &gt; c] elementwise for a public scalar; 8 rounds.</summary>
    /// <param name="value">The public threshold.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The bits.</returns>
    public async ValueTask<EncryptedTensor> GreaterThanAsync(double value, CancellationToken cancellationToken = default) =>
        new(await Session.LessThanZeroAsync(Neg().Add(value).Shares, cancellationToken).ConfigureAwait(false));

    /// <summary>[this &lt;= other] elementwise; 8 rounds.</summary>
    /// <param name="other">An encrypted tensor of the same shape and scale.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The bits.</returns>
    public async ValueTask<EncryptedTensor> LessEqualAsync(EncryptedTensor other, CancellationToken cancellationToken = default) =>
        new(await Session.LessEqualAsync(Shares, Unwrap(other), cancellationToken).ConfigureAwait(false));

    /// <summary>[this &gt;= other] elementwise; 8 rounds.</summary>
    /// <param name="other">An encrypted tensor of the same shape and scale.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The bits.</returns>
    public async ValueTask<EncryptedTensor> GreaterEqualAsync(EncryptedTensor other, CancellationToken cancellationToken = default) =>
        new(await Session.GreaterEqualAsync(Shares, Unwrap(other), cancellationToken).ConfigureAwait(false));

    /// <summary>[this == other] elementwise; 8 rounds (twice the bytes of one comparison).</summary>
    /// <param name="other">An encrypted tensor of the same shape and scale.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The bits.</returns>
    public async ValueTask<EncryptedTensor> EqualAsync(EncryptedTensor other, CancellationToken cancellationToken = default) =>
        new(await Session.EqualAsync(Shares, Unwrap(other), cancellationToken).ConfigureAwait(false));

    /// <summary>ReLU, max(this, 0) elementwise; 8 rounds (the sign tree, then the product with the 0/1 bit by bit
    /// injection, no truncation). The bit is kept for the backward pass, g [this &gt;= 0] (one Beaver product, 1 round).</summary>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The result, at this tensor's scale.</returns>
    public async ValueTask<EncryptedTensor> ReluAsync(CancellationToken cancellationToken = default)
    {
        await Session.Provider.AnnounceAheadAsync(d => d.ServeReluAsync(Count, cancellationToken), cancellationToken).ConfigureAwait(false);
        var (relu, nonNegative) = await Comparisons.ReluCoreAsync(Session, Shares.Share, cancellationToken).ConfigureAwait(false);
        var keep = new EncryptedTensor(Shares.With(nonNegative, 0));
        return new EncryptedTensor(Shares.With(relu, FractionalBits))
            .Record("relu", async (g, ct) => [await g.MulAsync(keep, ct).ConfigureAwait(false)], this);
    }

    /// <summary>|this| = 2 ReLU(this) - this elementwise; 8 rounds; gradient g sign(this).</summary>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The result, at this tensor's scale.</returns>
    public async ValueTask<EncryptedTensor> AbsAsync(CancellationToken cancellationToken = default) =>
        (await ReluAsync(cancellationToken).ConfigureAwait(false)).Mul(2).Sub(this);

    /// <summary>The elementwise maximum, other + ReLU(this - other); 8 rounds.</summary>
    /// <param name="other">An encrypted tensor of the same shape and scale.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The maximum.</returns>
    public async ValueTask<EncryptedTensor> MaxAsync(EncryptedTensor other, CancellationToken cancellationToken = default) =>
        other.Add(await Sub(other).ReluAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>The elementwise minimum, this - ReLU(this - other); 8 rounds.</summary>
    /// <param name="other">An encrypted tensor of the same shape and scale.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The minimum.</returns>
    public async ValueTask<EncryptedTensor> MinAsync(EncryptedTensor other, CancellationToken cancellationToken = default) =>
        Sub(await Sub(other).ReluAsync(cancellationToken).ConfigureAwait(false));
}
