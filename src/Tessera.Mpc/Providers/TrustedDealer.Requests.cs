namespace Tessera.Mpc.Providers;

/// <summary>The dealer's <see cref="DealerMode.OnRequest"/> loop: serve whatever party 0 announces until it says it is done.</summary>
public sealed partial class TrustedDealer
{
    /// <summary>
    /// Serves the requests party 0 announces, in order, until it closes its session (<see cref="MpcSession.DisposeAsync"/>);
    /// the parties' providers must be in <see cref="DealerMode.OnRequest"/>. Works for any program: the dealer needs no
    /// script.
    /// </summary>
    /// <param name="cancellationToken">Cancels the loop.</param>
    /// <returns>How many requests were served.</returns>
    /// <exception cref="InvalidDataException">Party 0 sent a malformed or oversized request (nothing is served for it).</exception>
    /// <exception cref="Communication.PartyDisconnectedException">Party 0 went away without closing its session.</exception>
    public async Task<long> ServeRequestsAsync(CancellationToken cancellationToken = default)
    {
        var served = 0L;
        while (true)
        {
            byte[] frame;
            using (_communicator.BeginOperation("dealer-request"))
            {
                frame = await _communicator.ReceiveAsync(0, cancellationToken).ConfigureAwait(false);
            }

            var request = DealerRequest.Decode(frame);
            switch (request.Kind)
            {
                case DealerRequestKind.End:
                    return served;
                case DealerRequestKind.ElementwiseTriple:
                    await ServeTripleAsync(TripleRequest.Elementwise(request.First), cancellationToken).ConfigureAwait(false);
                    break;
                case DealerRequestKind.MatMulTriple:
                    await ServeTripleAsync(TripleRequest.MatMul(request.First, request.Second, request.Third), cancellationToken)
                        .ConfigureAwait(false);
                    break;
                case DealerRequestKind.SquareTriple:
                    await ServeTripleAsync(TripleRequest.Square(request.First), cancellationToken).ConfigureAwait(false);
                    break;
                case DealerRequestKind.Conv2dTriple:
                    await ServeTripleAsync(request.Conv2dTriple(), cancellationToken).ConfigureAwait(false);
                    break;
                case DealerRequestKind.TruncationPair:
                    await ServeTruncationPairAsync(request.First, request.Second, cancellationToken).ConfigureAwait(false);
                    break;
                case DealerRequestKind.AndTriple:
                    await ServeAndTripleAsync(request.First, cancellationToken).ConfigureAwait(false);
                    break;
                case DealerRequestKind.SignTreeTriple:
                    await ServeSignTreeTriplesAsync(request.First, cancellationToken).ConfigureAwait(false);
                    break;
                case DealerRequestKind.EdaBits:
                    await ServeEdaBitsAsync(request.First, cancellationToken).ConfigureAwait(false);
                    break;
                case DealerRequestKind.DaBits:
                    await ServeDaBitsAsync(request.First, cancellationToken).ConfigureAwait(false);
                    break;
                case DealerRequestKind.SquaringTruncationPair:
                    await ServeSquaringTruncationPairAsync(request.First, request.Second, cancellationToken).ConfigureAwait(false);
                    break;
                case DealerRequestKind.BitProducts:
                    await ServeBitProductsAsync(request.First, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new InvalidDataException($"Party 0 sent a dealer request of unknown kind {(byte)request.Kind}.");
            }

            served++;
        }
    }
}
