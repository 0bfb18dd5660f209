using System.Runtime.InteropServices;
using Tessera.Mpc.Communication;

namespace Tessera.Mpc;

/// <summary>Opening XOR-shared words: every party sends its masked words to every other party and XORs what it receives.</summary>
internal static class BinaryWire
{
    /// <summary>Sends <paramref name="words"/> to every other computing party and returns the XOR of everyone's; one round.</summary>
    public static ValueTask<ulong[]> OpenAsync(
        ICommunicator communicator, int parties, ReadOnlySpan<ulong> words, CancellationToken cancellationToken)
    {
        var payload = RingWire.Allocate(words.Length);
        words.CopyTo(RingWire.AsRing(payload));
        return OpenPayloadAsync(communicator, parties, payload, cancellationToken);
    }

    /// <summary>As <see cref="OpenAsync"/>, for words already written into a payload from <see cref="RingWire.Allocate"/>.</summary>
    public static async ValueTask<ulong[]> OpenPayloadAsync(
        ICommunicator communicator, int parties, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await RingWire.SendToOthersAsync(communicator, parties, payload, cancellationToken).ConfigureAwait(false);
        communicator.CountRound();
        var count = payload.Length / sizeof(ulong);
        ulong[]? result = null;
        for (var peer = 0; peer < parties; peer++)
        {
            if (peer != communicator.Rank)
            {
                var received = await RingWire.ReceiveAsync(communicator, peer, count, cancellationToken).ConfigureAwait(false);
                if (result is null)
                {
                    // The first peer's words are XORed in while copying this party's own: no separate copy pass. The
                    // caller owns the result and may give it back to the pool.
                    result = RecycledArrays<ulong>.Rent(count);
                    BinaryKernels.Xor(MemoryMarshal.Cast<byte, ulong>(payload.Span), RingWire.AsRing(received), result);
                }
                else
                {
                    BinaryKernels.Xor(result, RingWire.AsRing(received), result);
                }

                RecycledArrays<byte>.Return(received);
            }
        }

        result ??= MemoryMarshal.Cast<byte, ulong>(payload.Span).ToArray();
        return result;
    }
}
