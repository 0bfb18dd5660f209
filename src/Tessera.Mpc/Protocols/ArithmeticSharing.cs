using Tessera.Mpc.Communication;
using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Protocols;

/// <summary>Creating and revealing additive shares.</summary>
public static class ArithmeticSharing
{
    /// <summary>
    /// Shares a tensor that <paramref name="owner"/> holds. Every party draws its pseudo-random zero-sharing share z_i
    /// (no communication) and the owner adds its encoded value, so the shares sum to the value: zero bytes, zero rounds.
    /// </summary>
    /// <param name="session">This party's session.</param>
    /// <param name="owner">The rank that holds the value.</param>
    /// <param name="value">The value on the owner (encoded with the session's fractional bits); ignored (pass null) elsewhere.</param>
    /// <param name="shape">The value's shape, known to every party.</param>
    /// <returns>This party's share.</returns>
    /// <exception cref="ArgumentException">The owner passed no value or one whose shape is not <paramref name="shape"/>.</exception>
    public static SharedTensor Share(this MpcSession session, int owner, Tensor? value, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(shape);
        CheckRank(session, owner, nameof(owner));
        var count = CountOf(shape);
        if (session.Rank == owner)
        {
            if (value is null || !value.ShapeToArray().AsSpan().SequenceEqual(shape))
            {
                throw new ArgumentException(
                    $"The owner must pass a value of shape [{string.Join(", ", shape)}]"
                    + (value is null ? "; it passed none." : $"; it passed [{string.Join(", ", value.ShapeToArray())}]."),
                    nameof(value));
            }
        }

        // Validate and encode before drawing, so a refused call leaves the zero-sharing streams in step.
        var encoded = session.Rank == owner ? session.Encoder.Encode(value!).ToArray<ulong>() : null;
        var share = new ulong[count];
        session.ZeroSharing.Fill(share);
        if (encoded is not null)
        {
            RingKernels.Add(share, encoded, share);
        }

        return new SharedTensor(session, share, (int[])shape.Clone(), session.FractionalBits);
    }

    /// <summary>Reveals <paramref name="x"/> to every party: each sends its share to every other party (8n bytes each, one round).</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">The shares.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The value, decoded to Float64 with the shares' fractional bits.</returns>
    public static async ValueTask<Tensor> RevealAsync(this MpcSession session, SharedTensor x, CancellationToken cancellationToken = default)
    {
        var ring = await session.RevealRingAsync(x, cancellationToken).ConfigureAwait(false);
        return Decode(ring, x);
    }

    /// <summary>Reveals the raw ring elements of <paramref name="x"/> to every party (one round, 8n bytes to each other party).</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">The shares.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The sum of the shares mod 2^64.</returns>
    public static async ValueTask<ulong[]> RevealRingAsync(this MpcSession session, SharedTensor x, CancellationToken cancellationToken = default)
    {
        Check(session, x);
        var communicator = session.Communicator;
        using (communicator.BeginOperation("reveal"))
        {
            var payload = RingWire.Allocate(x.Count);
            x.Share.CopyTo(RingWire.AsRing(payload));
            await RingWire.SendToOthersAsync(communicator, session.Parties, payload, cancellationToken).ConfigureAwait(false);
            communicator.CountRound();
            var sum = (ulong[])x.Share.Clone();
            await RingWire.AddFromOthersAsync(communicator, session.Parties, sum, cancellationToken).ConfigureAwait(false);
            return sum;
        }
    }

    /// <summary>
    /// Reveals <paramref name="x"/> to <paramref name="receiver"/> only: every other party sends it its share (8n bytes
    /// each, one round); the receiver sends nothing and the others learn nothing.
    /// </summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">The shares.</param>
    /// <param name="receiver">The rank that learns the value.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The value on the receiver; null on every other party.</returns>
    public static async ValueTask<Tensor?> RevealToAsync(
        this MpcSession session, SharedTensor x, int receiver, CancellationToken cancellationToken = default)
    {
        Check(session, x);
        CheckRank(session, receiver, nameof(receiver));
        var communicator = session.Communicator;
        using (communicator.BeginOperation("reveal"))
        {
            communicator.CountRound();
            if (session.Rank != receiver)
            {
                var payload = RingWire.Allocate(x.Count);
                x.Share.CopyTo(RingWire.AsRing(payload));
                await communicator.SendAsync(receiver, payload, cancellationToken).ConfigureAwait(false);
                return null;
            }

            var sum = (ulong[])x.Share.Clone();
            await RingWire.AddFromOthersAsync(communicator, session.Parties, sum, cancellationToken).ConfigureAwait(false);
            return Decode(sum, x);
        }
    }

    internal static void Check(MpcSession session, SharedTensor x)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(x);
        if (!ReferenceEquals(x.Session, session))
        {
            throw new ArgumentException("The shares belong to another session.", nameof(x));
        }
    }

    internal static int CountOf(int[] shape)
    {
        var count = 1L;
        foreach (var d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            count *= d;
        }

        return checked((int)count);
    }

    private static void CheckRank(MpcSession session, int rank, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank, paramName);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, session.Parties, paramName);
    }

    private static Tensor Decode(ulong[] ring, SharedTensor x)
    {
        var scale = 1.0 / Math.ScaleB(1.0, x.FractionalBits);
        var values = new double[ring.Length];
        for (var i = 0; i < ring.Length; i++)
        {
            values[i] = unchecked((long)ring[i]) * scale;
        }

        return Tensor.FromArray(values, (int[])x.ShapeArray.Clone());
    }
}
