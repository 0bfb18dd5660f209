using Tessera.Kernels;
using Tessera.Mpc.Providers;
using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Protocols;

/// <summary>
/// Products of shared tensors with Beaver triples (Beaver, "Efficient multiparty protocols using circuit randomization",
/// CRYPTO 1991), one round each.
/// </summary>
/// <remarks>
/// <para>Steps, for a triple (a, b, c = a (op) b) from the session's provider: (1) each party forms its shares of
/// e = x - a and f = y - b and sends both in one message to every other party; (2) everyone sums the messages, learning
/// e and f, which are uniformly random because a and b are; (3) party i sets z_i = x_i (op) f + e (op) b_i + c_i. The sum
/// is x(op)(y - b) + (x - a)(op)b + a(op)b = x (op) y.</para>
/// <para>Traffic, per party to every other party, one round: elementwise of n elements, 16n bytes; matmul m x k by
/// k x n, 8(mk + kn) bytes. Plus what the provider needs (from a dealer: 8 bytes per element of c, to one party).</para>
/// <para>The result's fractional bits are the sum of the operands'; truncate it to return to the session's scale.</para>
/// </remarks>
public static class BeaverMultiplication
{
    /// <summary>x * y elementwise; the operands must have the same shape.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares.</param>
    /// <param name="y">Shares of the same shape.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares of the product, with fractional bits x.FractionalBits + y.FractionalBits.</returns>
    public static async ValueTask<SharedTensor> MulAsync(
        this MpcSession session, SharedTensor x, SharedTensor y, CancellationToken cancellationToken = default)
    {
        ArithmeticSharing.Check(session, x);
        ArithmeticSharing.Check(session, y);
        if (!x.ShapeArray.AsSpan().SequenceEqual(y.ShapeArray))
        {
            throw new ArgumentException(
                $"Elementwise product of [{string.Join(", ", x.ShapeArray)}] and [{string.Join(", ", y.ShapeArray)}]: "
                + "the shapes must be equal.",
                nameof(y));
        }

        var n = x.Count;
        var triple = await session.Provider.GetTripleAsync(TripleRequest.Elementwise(n), cancellationToken).ConfigureAwait(false);
        // The opened e and f are public (both parties learn them) and dead after the combine, so they live in a pooled buffer.
        var opened = RecycledArrays<ulong>.Rent(2 * n);
        try
        {
            await OpenAsync(session, "mul", x.Share, triple.A, y.Share, triple.B, cancellationToken, opened).ConfigureAwait(false);
            var z = RecycledArrays<ulong>.Rent(n);
            RingKernels.BeaverCombine(x.Share, opened.AsSpan(n, n), opened.AsSpan(0, n), triple.B, triple.C, z);
            triple.Recycle();
            return x.With(z, x.FractionalBits + y.FractionalBits);
        }
        finally
        {
            RecycledArrays<ulong>.Return(opened);
        }
    }

    /// <summary>
    /// x * x elementwise with a square pair (a, a^2): open e = x - a only (8n bytes to each other party, half of
    /// <see cref="MulAsync"/>'s), then z_i = c_i + 2 e a_i, and party 0 adds e^2: the sum is (a + e)^2. One round.
    /// </summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares of the square, with fractional bits 2 x.FractionalBits.</returns>
    public static async ValueTask<SharedTensor> SquareAsync(
        this MpcSession session, SharedTensor x, CancellationToken cancellationToken = default)
    {
        ArithmeticSharing.Check(session, x);
        var n = x.Count;
        var pair = await session.Provider.GetTripleAsync(TripleRequest.Square(n), cancellationToken).ConfigureAwait(false);
        var communicator = session.Communicator;
        ulong[] e;
        using (communicator.BeginOperation("square"))
        {
            // The masked e_i is public once sent, so its buffer may come from (and go back to) the shared pool.
            var payload = RingWire.Rent(n);
            try
            {
                RingKernels.Subtract(x.Share, pair.A, RingWire.AsRing(payload, n));
                var message = payload.AsMemory(0, n * sizeof(ulong));
                await RingWire.SendToOthersAsync(communicator, session.Parties, message, cancellationToken).ConfigureAwait(false);
                communicator.CountRound();
                e = await RingWire.SumWithOthersAsync(communicator, session.Parties, message, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                RingWire.Return(payload);
            }
        }

        var z = GC.AllocateUninitializedArray<ulong>(n);
        var first = session.Rank == 0;
        for (var i = 0; i < n; i++)
        {
            var ei = e[i];
            z[i] = unchecked(pair.C[i] + (2 * ei * pair.A[i]) + (first ? ei * ei : 0));
        }

        return x.With(z, 2 * x.FractionalBits);
    }

    /// <summary>The matrix product of an m x k by a k x n shared matrix.</summary>
    /// <param name="session">This party's session.</param>
    /// <param name="x">Shares of an m x k matrix.</param>
    /// <param name="y">Shares of a k x n matrix.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares of the m x n product, with fractional bits x.FractionalBits + y.FractionalBits.</returns>
    public static async ValueTask<SharedTensor> MatMulAsync(
        this MpcSession session, SharedTensor x, SharedTensor y, CancellationToken cancellationToken = default)
    {
        ArithmeticSharing.Check(session, x);
        ArithmeticSharing.Check(session, y);
        if (x.ShapeArray.Length != 2 || y.ShapeArray.Length != 2 || x.ShapeArray[1] != y.ShapeArray[0])
        {
            throw new ArgumentException(
                $"MatMul needs m x k and k x n matrices; got [{string.Join(", ", x.ShapeArray)}] and "
                + $"[{string.Join(", ", y.ShapeArray)}].",
                nameof(y));
        }

        int m = x.ShapeArray[0], k = x.ShapeArray[1], n = y.ShapeArray[1];
        var triple = await session.Provider.GetTripleAsync(TripleRequest.MatMul(m, k, n), cancellationToken).ConfigureAwait(false);

        // z_i = c_i + x_i F + E b_i as one accumulating ring GEMM with twice the inner dimension: [x_i | E] (m x 2k) times
        // [F ; b_i] (2k x n). The opening lands as E | F with room after it for b_i, so [F ; b_i] needs no copy of F; the
        // interleaved left costs O(mk) copies against the O(mkn) product and saves a second GEMM's packing. Every buffer but
        // z is dead after the GEMM, and z goes back to the pool after its truncation, so all of them are recycled.
        var opened = RecycledArrays<ulong>.Rent((m * k) + (2 * k * n));
        var left = RecycledArrays<ulong>.Rent(m * 2 * k);
        try
        {
            await OpenAsync(session, "matmul", x.Share, triple.A, y.Share, triple.B, cancellationToken, opened).ConfigureAwait(false);
            for (var i = 0; i < m; i++)
            {
                x.Share.AsSpan(i * k, k).CopyTo(left.AsSpan(i * 2 * k, k));
                opened.AsSpan(i * k, k).CopyTo(left.AsSpan((i * 2 * k) + k, k));
            }

            triple.B.CopyTo(opened.AsSpan((m * k) + (k * n), k * n));
            var z = RecycledArrays<ulong>.Rent(m * n);
            triple.C.AsSpan(0, m * n).CopyTo(z);
            Gemm.Multiply(false, false, m, n, 2 * k, left, 2 * k, opened.AsSpan(m * k, 2 * k * n), n, z, n, accumulate: true);
            triple.Recycle();
            return new SharedTensor(session, z, [m, n], x.FractionalBits + y.FractionalBits);
        }
        finally
        {
            RecycledArrays<ulong>.Return(opened, left);
        }
    }

    /// <summary>Opens x - a and y - b together: one message to each other party, one round.</summary>
    internal static async ValueTask<ulong[]> OpenAsync(
        MpcSession session, string operation, ulong[] x, ulong[] a, ulong[] y, ulong[] b, CancellationToken cancellationToken,
        ulong[]? destination = null)
    {
        var communicator = session.Communicator;
        using (communicator.BeginOperation(operation))
        {
            // x - a and y - b are public once sent, so their buffer may come from (and go back to) the shared pool.
            var count = x.Length + y.Length;
            var payload = RingWire.Rent(count);
            try
            {
                Mask(RingWire.AsRing(payload, count), x, a, y, b);
                var message = payload.AsMemory(0, count * sizeof(ulong));
                await RingWire.SendToOthersAsync(communicator, session.Parties, message, cancellationToken).ConfigureAwait(false);
                communicator.CountRound();
                return await RingWire.SumWithOthersAsync(communicator, session.Parties, message, cancellationToken, destination)
                    .ConfigureAwait(false);
            }
            finally
            {
                RingWire.Return(payload);
            }
        }
    }

    private static void Mask(Span<ulong> masked, ulong[] x, ulong[] a, ulong[] y, ulong[] b)
    {
        RingKernels.Subtract(x, a, masked[..x.Length]);
        RingKernels.Subtract(y, b, masked[x.Length..]);
    }
}
