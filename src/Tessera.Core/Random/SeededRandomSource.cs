namespace Tessera;

/// <summary>A reproducible random source from a seed (xoshiro256**). For tests, simulations and initialisation only.</summary>
/// <remarks>Never use it where randomness protects privacy: its output is predictable from the seed.</remarks>
public sealed class SeededRandomSource : IRandomSource
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Creates a source whose sequence is fixed by <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed.</param>
    public SeededRandomSource(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <inheritdoc/>
    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <inheritdoc/>
    public void NextBytes(Span<byte> destination)
    {
        while (destination.Length >= 8)
        {
            BitConverter.TryWriteBytes(destination, NextUInt64());
            destination = destination[8..];
        }

        if (!destination.IsEmpty)
        {
            Span<byte> last = stackalloc byte[8];
            BitConverter.TryWriteBytes(last, NextUInt64());
            last[..destination.Length].CopyTo(destination);
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
