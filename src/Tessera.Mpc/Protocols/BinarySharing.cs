using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Protocols;

/// <summary>
/// XOR (binary) sharing of 64-bit words: creating and revealing shares, and the local operations (XOR of two shared
/// tensors, XOR and AND with public words, NOT). The AND of two shared tensors is <see cref="BinaryAnd.AndAsync"/>.
/// </summary>
/// <remarks>Public words are XORed in by party 0 only and ANDed in by every party; none of these costs communication.</remarks>
public static class BinarySharing
{
    /// <summary>
    /// XOR-shares words that <paramref name="owner"/> holds: every party draws its pseudo-random XOR-sharing of zero
    /// (pairwise AES-CTR streams, no communication) and the owner XORs in its words: zero bytes, zero rounds.
    /// </summary>
    /// <param name="session">This party's session.</param>
    /// <param name="owner">The rank that holds the words.</param>
    /// <param name="value">The words on the owner, row-major; ignored (pass null) elsewhere.</param>
    /// <param name="shape">The shape, known to every party.</param>
    /// <returns>This party's share.</returns>
    /// <exception cref="ArgumentException">The owner passed no words or a number that does not fit <paramref name="shape"/>.</exception>
    public static BinarySharedTensor ShareBinary(this MpcSession session, int owner, ulong[]? value, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfNegative(owner);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(owner, session.Parties);
        var count = ArithmeticSharing.CountOf(shape);
        if (session.Rank == owner && (value is null || value.Length != count))
        {
            throw new ArgumentException(
                $"The owner must pass {count} words for shape [{string.Join(", ", shape)}]; it passed "
                + (value is null ? "none." : $"{value.Length}."),
                nameof(value));
        }

        var share = new ulong[count];
        session.ZeroSharing.FillXor(share);
        if (session.Rank == owner)
        {
            BinaryKernels.Xor(share, value!, share);
        }

        return new BinarySharedTensor(session, share, (int[])shape.Clone());
    }

    /// <summary>Reveals the words of <paramref name="x"/> to every party: each sends its share to every other (8n bytes each, one round).</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">The shares.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The XOR of the shares, row-major.</returns>
    public static async ValueTask<ulong[]> RevealBinaryAsync(
        this MpcSession session, BinarySharedTensor x, CancellationToken cancellationToken = default)
    {
        Check(session, x);
        using (session.Communicator.BeginOperation("reveal"))
        {
            return await BinaryWire.OpenAsync(session.Communicator, session.Parties, x.Share, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>x XOR y; local.</summary>
    /// <param name="x">Shares.</param>
    /// <param name="y">Shares of the same shape.</param>
    /// <returns>Shares of the XOR.</returns>
    public static BinarySharedTensor Xor(BinarySharedTensor x, BinarySharedTensor y)
    {
        CheckPair(x, y);
        var result = new ulong[x.Count];
        BinaryKernels.Xor(x.Share, y.Share, result);
        return x.With(result);
    }

    /// <summary>x XOR p for public words p (party 0 XORs them in); local.</summary>
    /// <param name="x">Shares.</param>
    /// <param name="value">The public words, one per element, the same on every party.</param>
    /// <returns>Shares of the XOR.</returns>
    public static BinarySharedTensor XorPublic(BinarySharedTensor x, ReadOnlySpan<ulong> value)
    {
        CheckPublic(x, value.Length);
        var result = (ulong[])x.Share.Clone();
        if (x.Session.Rank == 0)
        {
            BinaryKernels.Xor(result, value, result);
        }

        return x.With(result);
    }

    /// <summary>x AND p for public words p (every party ANDs its share); local.</summary>
    /// <param name="x">Shares.</param>
    /// <param name="value">The public words, one per element, the same on every party.</param>
    /// <returns>Shares of the AND.</returns>
    public static BinarySharedTensor AndPublic(BinarySharedTensor x, ReadOnlySpan<ulong> value)
    {
        CheckPublic(x, value.Length);
        var result = new ulong[x.Count];
        BinaryKernels.And(x.Share, value, result);
        return x.With(result);
    }

    /// <summary>NOT x (all 64 bits flipped: party 0 flips its share); local.</summary>
    /// <param name="x">Shares.</param>
    /// <returns>Shares of the complement.</returns>
    public static BinarySharedTensor Not(BinarySharedTensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = (ulong[])x.Share.Clone();
        if (x.Session.Rank == 0)
        {
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = ~result[i];
            }
        }

        return x.With(result);
    }

    internal static void Check(MpcSession session, BinarySharedTensor x)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(x);
        if (!ReferenceEquals(x.Session, session))
        {
            throw new ArgumentException("The shares belong to another session.", nameof(x));
        }
    }

    internal static void CheckPair(BinarySharedTensor x, BinarySharedTensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (!ReferenceEquals(x.Session, y.Session))
        {
            throw new ArgumentException("The operands belong to different sessions.", nameof(y));
        }

        if (!x.ShapeArray.AsSpan().SequenceEqual(y.ShapeArray))
        {
            throw new ArgumentException(
                $"Operand shapes differ: [{string.Join(", ", x.ShapeArray)}] and [{string.Join(", ", y.ShapeArray)}].", nameof(y));
        }
    }

    private static void CheckPublic(BinarySharedTensor x, int length)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (length != x.Count)
        {
            throw new ArgumentException(
                $"The public value has {length} words; the shares of shape [{string.Join(", ", x.ShapeArray)}] have {x.Count}.",
                "value");
        }
    }
}
