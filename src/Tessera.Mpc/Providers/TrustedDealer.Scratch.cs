using Tessera.Mpc.Randomness;

namespace Tessera.Mpc.Providers;

/// <summary>
/// The dealer's working memory: one grow-only scratch buffer that holds every party's expanded streams for the request
/// being served, so large requests do not allocate (and page-fault in) fresh large-object arrays each time. It holds the
/// dealer's own material only (never anything a party sent; the dealer receives nothing) and is cleared when it grows and
/// when the dealer is disposed.
/// </summary>
public sealed partial class TrustedDealer
{
    // Below this many ulongs per party, expanding the streams one after another beats the cost of scheduling threads.
    private const int ParallelThreshold = 1 << 15;

    private ulong[] _scratch = [];
    private long _requests;
    private byte[] _correction = [];

    /// <summary>Counts one request and returns its receiver: request r sends its correction to party r mod N.</summary>
    private int NextReceiver() => (int)(_requests++ % Parties);

    /// <summary>
    /// Expands every party's stream for one request into the scratch buffer, party p at [p * perParty, (p + 1) * perParty),
    /// in parallel for large requests (each party's generator is independent and touched by one thread only).
    /// </summary>
    private ulong[] DeriveAll(int perParty, int receiver, Action<AesCtrPrg, bool, Span<ulong>> derive)
    {
        var total = checked(Parties * perParty);
        if (_scratch.Length < total)
        {
            Array.Clear(_scratch);
            _scratch = GC.AllocateUninitializedArray<ulong>(total);
        }

        var scratch = _scratch;
        if (perParty >= ParallelThreshold && Environment.ProcessorCount > 1)
        {
            Parallel.For(0, Parties, party => derive(_streams[party], party == receiver, scratch.AsSpan(party * perParty, perParty)));
        }
        else
        {
            for (var party = 0; party < Parties; party++)
            {
                derive(_streams[party], party == receiver, scratch.AsSpan(party * perParty, perParty));
            }
        }

        return scratch;
    }

    /// <summary>
    /// Adds (in the ring) the same slice of every party's region but <paramref name="skip"/>'s (-1: none) into party 0's
    /// (party 0's own slice is overwritten first when it is the one skipped).
    /// </summary>
    private void SumParties(ulong[] scratch, int perParty, int offset, int count, int skip = -1) =>
        Combine(scratch, perParty, offset, count, skip, xor: false);

    /// <summary>XORs the same slice of every party's region but <paramref name="skip"/>'s (-1: none) into party 0's.</summary>
    private void XorParties(ulong[] scratch, int perParty, int offset, int count, int skip = -1) =>
        Combine(scratch, perParty, offset, count, skip, xor: true);

    private void Combine(ulong[] scratch, int perParty, int offset, int count, int skip, bool xor)
    {
        var sum = scratch.AsSpan(offset, count);
        var first = 1;
        if (skip == 0)
        {
            // Party 0's slice was never derived (it is the receiver's); start the sum from party 1's.
            scratch.AsSpan(perParty + offset, count).CopyTo(sum);
            first = 2;
        }

        for (var party = first; party < Parties; party++)
        {
            if (party == skip)
            {
                continue;
            }

            var other = scratch.AsSpan((party * perParty) + offset, count);
            if (xor)
            {
                BinaryKernels.Xor(sum, other, sum);
            }
            else
            {
                RingKernels.Add(sum, other, sum);
            }
        }
    }

    /// <summary>
    /// The first <paramref name="count"/> ring elements of the dealer's reused correction buffer (sends copy or write the
    /// bytes before they complete, so the next request may overwrite it).
    /// </summary>
    private ArraySegment<byte> CorrectionBuffer(int count)
    {
        var bytes = checked(count * sizeof(ulong));
        if (_correction.Length < bytes)
        {
            Array.Clear(_correction);
            _correction = GC.AllocateUninitializedArray<byte>(bytes);
        }

        return new ArraySegment<byte>(_correction, 0, bytes);
    }

    private void ClearScratch()
    {
        Array.Clear(_scratch);
        _scratch = [];
        Array.Clear(_correction);
        _correction = [];
    }
}
