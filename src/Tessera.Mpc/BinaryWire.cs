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
        ICommunicator communicator, int parties, byte[] payload, CancellationToken cancellationToken)
    {
        await RingWire.SendToOthersAsync(communicator, parties, payload, cancellationToken).ConfigureAwait(false);
        communicator.CountRound();
        var result = RingWire.AsRing(payload).ToArray();
        for (var peer = 0; peer < parties; peer++)
        {
            if (peer != communicator.Rank)
            {
                var received = await RingWire.ReceiveAsync(communicator, peer, result.Length, cancellationToken).ConfigureAwait(false);
                BinaryKernels.Xor(result, RingWire.AsRing(received), result);
            }
        }

        return result;
    }
}
