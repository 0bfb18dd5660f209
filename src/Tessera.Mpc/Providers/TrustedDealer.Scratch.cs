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
    private byte[] _correction = [];

    /// <summary>
    /// Expands every party's stream for one request into the scratch buffer, party p at [p * perParty, (p + 1) * perParty),
    /// in parallel for large requests (each party's generator is independent and touched by one thread only).
    /// </summary>
    private ulong[] DeriveAll(int perParty, Action<AesCtrPrg, bool, Span<ulong>> derive)
    {
        var total = checked(Parties * perParty);
        if (_scratch.Length < total)
        {
            Array.Clear(_scratch);
            _scratch = GC.AllocateUninitializedArray<ulong>(total);
        }

        var scratch = _scratch;
        var last = Parties - 1;
        if (perParty >= ParallelThreshold && Environment.ProcessorCount > 1)
        {
            Parallel.For(0, Parties, party => derive(_streams[party], party == last, scratch.AsSpan(party * perParty, perParty)));
        }
        else
        {
            for (var party = 0; party < Parties; party++)
            {
                derive(_streams[party], party == last, scratch.AsSpan(party * perParty, perParty));
            }
        }

        return scratch;
    }

    /// <summary>Adds (in the ring) the same slice of every party's region into party 0's.</summary>
    private void SumParties(ulong[] scratch, int perParty, int offset, int count, int parties)
    {
        var sum = scratch.AsSpan(offset, count);
        for (var party = 1; party < parties; party++)
        {
            RingKernels.Add(sum, scratch.AsSpan((party * perParty) + offset, count), sum);
        }
    }

    /// <summary>XORs the same slice of every party's region into party 0's.</summary>
    private void XorParties(ulong[] scratch, int perParty, int offset, int count, int parties)
    {
        var sum = scratch.AsSpan(offset, count);
        for (var party = 1; party < parties; party++)
        {
            BinaryKernels.Xor(sum, scratch.AsSpan((party * perParty) + offset, count), sum);
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
