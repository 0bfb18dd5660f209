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

    /// <summary>Sends <paramref name="payload"/> to every computing party but this one.</summary>
    public static async ValueTask SendToOthersAsync(
        ICommunicator communicator, int parties, byte[] payload, CancellationToken cancellationToken)
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
            }
        }
    }

    /// <summary>
    /// The sum of this party's <paramref name="ownPayload"/> and what every other computing party sends (as many elements
    /// each), in a new array: the first peer's message is added while copying, so no separate copy pass is made.
    /// </summary>
    public static async ValueTask<ulong[]> SumWithOthersAsync(
        ICommunicator communicator, int parties, byte[] ownPayload, CancellationToken cancellationToken)
    {
        var count = ownPayload.Length / sizeof(ulong);
        ulong[]? sum = null;
        for (var peer = 0; peer < parties; peer++)
        {
            if (peer != communicator.Rank)
            {
                var payload = await ReceiveAsync(communicator, peer, count, cancellationToken).ConfigureAwait(false);
                if (sum is null)
                {
                    sum = GC.AllocateUninitializedArray<ulong>(count);
                    RingKernels.Add(AsRing(ownPayload), AsRing(payload), sum);
                }
                else
                {
                    RingKernels.Add(sum, AsRing(payload), sum);
                }
            }
        }

        return sum ?? AsRing(ownPayload).ToArray();
    }
}
