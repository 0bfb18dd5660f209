using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tessera.Mpc.Communication;

namespace Tessera.Mpc;

/// <summary>
/// Ring elements on the wire: 8 bytes each, little-endian, nothing else (the length is the message's length). Protocols
/// compute straight into the send buffer through <see cref="AsRing(byte[])"/>, so no extra copy is made here.
/// </summary>
internal static class RingWire
{
    public static byte[] Allocate(int count) => GC.AllocateUninitializedArray<byte>(checked(count * sizeof(ulong)));

    public static Span<ulong> AsRing(byte[] payload) => MemoryMarshal.Cast<byte, ulong>(payload.AsSpan());

    /// <summary>
    /// A send buffer of exactly <paramref name="count"/> ring elements from <see cref="RecycledArrays{T}"/> (write it
    /// through <see cref="AsRing(byte[], int)"/>; give it back with <see cref="Return"/>). Meant for messages that are
    /// public once sent (masked openings).
    /// </summary>
    public static byte[] Rent(int count) => RecycledArrays<byte>.Rent(checked(count * sizeof(ulong)));

    /// <summary>Returns a buffer from <see cref="Rent"/> (after every send of it has completed: sends copy or write the bytes).</summary>
    public static void Return(byte[] payload) => RecycledArrays<byte>.Return(payload);

    /// <summary>The first <paramref name="count"/> ring elements of <paramref name="payload"/>.</summary>
    public static Span<ulong> AsRing(byte[] payload, int count) =>
        MemoryMarshal.Cast<byte, ulong>(payload.AsSpan(0, checked(count * sizeof(ulong))));

    /// <summary>Receives exactly <paramref name="count"/> ring elements from <paramref name="from"/>.</summary>
    public static async ValueTask<byte[]> ReceiveAsync(
        ICommunicator communicator, int from, int count, CancellationToken cancellationToken)
    {
        var payload = await communicator.ReceiveAsync(from, cancellationToken).ConfigureAwait(false);
        if (payload.Length != (long)count * sizeof(ulong))
        {
            throw new InvalidDataException(
                $"Party {from} sent {payload.Length} bytes where {count} ring elements ({count * 8L} bytes) were expected.");
        }

        return payload;
    }

    /// <summary>
    /// The ring elements <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> of a received
    /// <paramref name="payload"/>, copied into an array of their own (from <see cref="RecycledArrays{T}"/>).
    /// </summary>
    public static ulong[] Slice(byte[] payload, int start, int count)
    {
        var result = RecycledArrays<ulong>.Rent(count);
        AsRing(payload).Slice(start, count).CopyTo(result);
        return result;
    }

    /// <summary>
    /// Packs the low <paramref name="width"/> bytes of each of the <paramref name="count"/> little-endian ring elements at
    /// the start of <paramref name="region"/> into its first <paramref name="count"/> x <paramref name="width"/> bytes, in
    /// place (a later element is never overwritten before it is read), for values of which only the low bits matter.
    /// </summary>
    /// <returns>The packed bytes: count x width.</returns>
    public static int Narrow(Span<byte> region, int count, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, sizeof(ulong));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, region.Length / sizeof(ulong));
        ref var start = ref MemoryMarshal.GetReference(region);
        for (var i = 0; i < count; i++)
        {
            // A whole word is written at i x width: its bytes past the width land where element i + 1 goes next, and
            // it ends at or before (i + 1) x 8, where the next element still unread begins (width <= 8).
            var value = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i * sizeof(ulong)));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, i * width), value);
        }

        return count * width;
    }

    /// <summary>The inverse of <see cref="Narrow"/>: each <paramref name="width"/>-byte value, zero-extended, into <paramref name="destination"/>.</summary>
    public static void Widen(ReadOnlySpan<byte> packed, int width, Span<ulong> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, sizeof(ulong));
        ArgumentOutOfRangeException.ThrowIfLessThan(packed.Length, destination.Length * width);
        var mask = width == sizeof(ulong) ? ulong.MaxValue : (1UL << (8 * width)) - 1;

        // Whole-word reads while a word fits in the packed bytes; the last few elements byte by byte.
        var fast = packed.Length < sizeof(ulong) ? 0 : Math.Min(destination.Length, ((packed.Length - sizeof(ulong)) / width) + 1);
        ref var start = ref MemoryMarshal.GetReference(packed);
        for (var i = 0; i < fast; i++)
        {
            destination[i] = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i * width)) & mask;
        }

        Span<byte> word = stackalloc byte[sizeof(ulong)];
        word.Clear();
        for (var i = fast; i < destination.Length; i++)
        {
            packed.Slice(i * width, width).CopyTo(word);
            destination[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(word);
        }
    }

    /// <summary>Sends <paramref name="payload"/> to every computing party but this one.</summary>
    public static async ValueTask SendToOthersAsync(
        ICommunicator communicator, int parties, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        for (var peer = 0; peer < parties; peer++)
        {
            if (peer != communicator.Rank)
            {
                await communicator.SendAsync(peer, payload, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Adds what every other computing party sends (exactly <c>sum.Length</c> elements each) into <paramref name="sum"/>.</summary>
    public static async ValueTask AddFromOthersAsync(
        ICommunicator communicator, int parties, ulong[] sum, CancellationToken cancellationToken)
    {
        for (var peer = 0; peer < parties; peer++)
        {
            if (peer != communicator.Rank)
            {
                var payload = await ReceiveAsync(communicator, peer, sum.Length, cancellationToken).ConfigureAwait(false);
                RingKernels.Add(sum, AsRing(payload), sum);
                RecycledArrays<byte>.Return(payload);
            }
        }
    }

    /// <summary>
    /// The sum of this party's <paramref name="ownPayload"/> (written into the first elements of <paramref name="destination"/>
    /// when one is given, for a caller that pools the opened values) and what every other computing party sends (as many elements
    /// each), in a new array: the first peer's message is added while copying, so no separate copy pass is made.
    /// </summary>
    public static async ValueTask<ulong[]> SumWithOthersAsync(
        ICommunicator communicator, int parties, ReadOnlyMemory<byte> ownPayload, CancellationToken cancellationToken,
        ulong[]? destination = null)
    {
        var count = ownPayload.Length / sizeof(ulong);
        if (destination is not null && destination.Length < count)
        {
            throw new ArgumentException($"The destination has {destination.Length} elements, fewer than {count}.", nameof(destination));
        }

        ulong[]? sum = null;
        for (var peer = 0; peer < parties; peer++)
        {
            if (peer != communicator.Rank)
            {
                var payload = await ReceiveAsync(communicator, peer, count, cancellationToken).ConfigureAwait(false);
                if (sum is null)
                {
                    sum = destination ?? RecycledArrays<ulong>.Rent(count);
                    RingKernels.Add(MemoryMarshal.Cast<byte, ulong>(ownPayload.Span), AsRing(payload), sum.AsSpan(0, count));
                }
                else
                {
                    RingKernels.Add(sum.AsSpan(0, count), AsRing(payload), sum.AsSpan(0, count));
                }

                RecycledArrays<byte>.Return(payload);
            }
        }

        if (sum is null && destination is not null)
        {
            MemoryMarshal.Cast<byte, ulong>(ownPayload.Span).CopyTo(destination);
            return destination;
        }

        return sum ?? MemoryMarshal.Cast<byte, ulong>(ownPayload.Span).ToArray();
    }
}
