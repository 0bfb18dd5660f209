namespace Tessera.Mpc.Providers;

/// <summary>The dealer's binary material: AND triples, edaBits and daBits, derived from the parties' seeds like triples.</summary>
/// <remarks>
/// Each request expands every party's seed stream as that party does (see <c>BinaryDealerDerivation</c>) and sends the
/// last party only its missing share, 8 bytes per element; nothing travels to the dealer. Composite protocols
/// (comparisons, ReLU) are served by the scripts in <see cref="ComparisonDealing"/>.
/// </remarks>
public sealed partial class TrustedDealer
{
    /// <summary>Serves the <paramref name="count"/> AND triples the parties request next.</summary>
    /// <param name="count">How many words (the same as the parties ask).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the correction is sent.</returns>
    public async ValueTask ServeAndTripleAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var last = Parties - 1;
        var sumA = new ulong[count];
        var sumB = new ulong[count];
        var correction = RingWire.Allocate(count);
        var c = RingWire.AsRing(correction);
        c.Clear();
        for (var party = 0; party < Parties; party++)
        {
            var (a, b, ci) = BinaryDealerDerivation.AndTriple(_streams[party], count, party == last);
            BinaryKernels.Xor(sumA, a, sumA);
            BinaryKernels.Xor(sumB, b, sumB);
            if (ci is not null)
            {
                BinaryKernels.Xor(c, ci, c);
            }
        }

        for (var i = 0; i < count; i++)
        {
            c[i] ^= sumA[i] & sumB[i];
        }

        await SendCorrectionAsync("and-triple", correction, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves the <paramref name="count"/> edaBits the parties request next.</summary>
    /// <param name="count">How many (the same as the parties ask).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the correction is sent.</returns>
    public async ValueTask ServeEdaBitsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var last = Parties - 1;
        var r = new ulong[count];
        var correction = RingWire.Allocate(count);
        var bits = RingWire.AsRing(correction);
        bits.Clear();
        for (var party = 0; party < Parties; party++)
        {
            var (ri, si) = BinaryDealerDerivation.EdaBits(_streams[party], count, party == last);
            RingKernels.Add(r, ri, r);
            if (si is not null)
            {
                BinaryKernels.Xor(bits, si, bits);
            }
        }

        for (var i = 0; i < count; i++)
        {
            bits[i] ^= unchecked(0UL - r[i]);
        }

        await SendCorrectionAsync("edabits", correction, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serves the <paramref name="count"/> daBits the parties request next.</summary>
    /// <param name="count">How many (the same as the parties ask).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the correction is sent.</returns>
    public async ValueTask ServeDaBitsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var last = Parties - 1;
        var packed = new ulong[BinaryDealerDerivation.PackedWords(count)];
        var correction = RingWire.Allocate(count);
        var arithmetic = RingWire.AsRing(correction);
        arithmetic.Clear();
        for (var party = 0; party < Parties; party++)
        {
            var (pi, ai) = BinaryDealerDerivation.DaBits(_streams[party], count, party == last);
            BinaryKernels.Xor(packed, pi, packed);
            if (ai is not null)
            {
                RingKernels.Add(arithmetic, ai, arithmetic);
            }
        }

        for (var i = 0; i < count; i++)
        {
            arithmetic[i] = unchecked(((packed[i >> 6] >> (i & 63)) & 1UL) - arithmetic[i]);
        }

        await SendCorrectionAsync("dabits", correction, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask SendCorrectionAsync(string operation, byte[] correction, CancellationToken cancellationToken)
    {
        using (_communicator.BeginOperation(operation))
        {
            await _communicator.SendAsync(Parties - 1, correction, cancellationToken).ConfigureAwait(false);
            _communicator.CountRound();
        }
    }
}
