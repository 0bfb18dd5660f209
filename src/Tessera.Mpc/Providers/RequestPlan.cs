namespace Tessera.Mpc.Providers;

/// <summary>
/// The requests a dealer script makes, in order, recorded instead of served: party 0 runs an operation's own dealer
/// script against a plan to learn what the operation will ask for, and announces it all at once
/// (<see cref="ICorrelationProvider.AnnounceAheadAsync"/>). Only kinds and sizes are recorded; they are public.
/// </summary>
internal sealed class RequestPlan : ICorrelationServer
{
    private readonly List<DealerRequest> _requests = [];

    /// <summary>The recorded requests, in order.</summary>
    public IReadOnlyList<DealerRequest> Requests => _requests;

    /// <summary>Runs <paramref name="script"/> against a new plan and returns what it asked for.</summary>
    /// <param name="script">A dealer script (it must not wait on anything but the plan).</param>
    /// <returns>The plan.</returns>
    /// <exception cref="InvalidOperationException">The script awaited something that had not completed.</exception>
    public static RequestPlan Of(Func<ICorrelationServer, ValueTask> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var plan = new RequestPlan();
        var run = script(plan);
        if (!run.IsCompleted)
        {
            throw new InvalidOperationException("A request plan's script waited on something other than the plan.");
        }

        run.GetAwaiter().GetResult();
        return plan;
    }

    /// <inheritdoc/>
    public ValueTask ServeTripleAsync(TripleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Add(DealerRequest.Triple(request));
    }

    /// <inheritdoc/>
    public ValueTask ServeTruncationPairAsync(int count, int shift, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        DealerDerivation.CheckShift(shift);
        return Add(DealerRequest.TruncationPair(count, shift));
    }

    /// <inheritdoc/>
    public ValueTask ServeSquaringTruncationPairAsync(int count, int shift, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        DealerDerivation.CheckShift(shift);
        return Add(DealerRequest.SquaringTruncationPair(count, shift));
    }

    /// <inheritdoc/>
    public ValueTask ServeAndTripleAsync(int count, CancellationToken cancellationToken = default) =>
        Add(DealerRequest.Binary(DealerRequestKind.AndTriple, count));

    /// <inheritdoc/>
    public ValueTask ServeSignTreeTriplesAsync(int count, CancellationToken cancellationToken = default) =>
        Add(DealerRequest.Binary(DealerRequestKind.SignTreeTriple, count));

    /// <inheritdoc/>
    public ValueTask ServeEdaBitsAsync(int count, CancellationToken cancellationToken = default) =>
        Add(DealerRequest.Binary(DealerRequestKind.EdaBits, count));

    /// <inheritdoc/>
    public ValueTask ServeDaBitsAsync(int count, CancellationToken cancellationToken = default) =>
        Add(DealerRequest.Binary(DealerRequestKind.DaBits, count));

    /// <inheritdoc/>
    public ValueTask ServeBitProductsAsync(int count, CancellationToken cancellationToken = default) =>
        Add(DealerRequest.Binary(DealerRequestKind.BitProducts, count));

    private ValueTask Add(DealerRequest request)
    {
        _requests.Add(request);
        return ValueTask.CompletedTask;
    }
}
