namespace Tessera.Mpc.Providers;

/// <summary>
/// Where a party gets correlated randomness (Beaver triples, truncation pairs). Every party of a session calls it with
/// the same requests in the same order; the requests carry shapes only, never values.
/// </summary>
/// <remarks>
/// Open for more material: binary (AND) triples and conv2d triples arrive as new methods and new <see cref="TripleKind"/>
/// values, without changing these.
/// </remarks>
public interface ICorrelationProvider : IDisposable
{
    /// <summary>Sets the provider up for <paramref name="session"/> (called once, by the session while it starts).</summary>
    /// <param name="session">The session.</param>
    /// <param name="cancellationToken">Cancels the set-up.</param>
    /// <returns>A task that completes when the provider is ready.</returns>
    ValueTask InitializeAsync(MpcSession session, CancellationToken cancellationToken = default);

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
}
