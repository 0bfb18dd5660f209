using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Tessera.Mpc.Randomness;

/// <summary>
/// A pseudo-random generator of ulong streams: AES-128 in counter mode, keyed by a 16-byte seed. Two parties holding the
/// same seed and asking for the same sequence of lengths draw identical streams, which is what pairwise zero-sharings and
/// the dealer's seed-derived shares rely on.
/// </summary>
/// <remarks>
/// Block i of the keystream is AES_k(i) with i a 128-bit little-endian counter starting at 0. Each <see cref="Fill"/>
/// writes the counter blocks straight into the destination and encrypts them in place with one ECB call, so AES-NI runs
/// over the whole buffer (bulk work, no per-block calls). A request for an odd number of ulongs discards the unused half
/// of its last block, so the stream position depends only on the sequence of request lengths. Seeds must come from the OS
/// CSPRNG (<see cref="NewSeed()"/>). Not thread-safe; dispose it to clear the key.
/// </remarks>
public sealed class AesCtrPrg : IDisposable
{
    /// <summary>Bytes in a seed (an AES-128 key).</summary>
    public const int SeedBytes = 16;

    private static long s_keystreamBytes;

    private readonly Aes _aes;
    private ulong _counter;
    private bool _disposed;

    /// <summary>Creates a generator from a seed.</summary>
    /// <param name="seed">The 16-byte key.</param>
    /// <exception cref="ArgumentException">The seed is not 16 bytes.</exception>
    public AesCtrPrg(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedBytes)
        {
            throw new ArgumentException($"A seed has {SeedBytes} bytes, not {seed.Length}.", nameof(seed));
        }

        _aes = Aes.Create();
        _aes.Key = seed.ToArray();
    }

    /// <summary>Keystream bytes produced by every generator in this process so far (for benchmarks' local-work floor).</summary>
    internal static long KeystreamBytes => Interlocked.Read(ref s_keystreamBytes);

    /// <summary>A fresh seed from the OS CSPRNG.</summary>
    /// <returns>16 random bytes.</returns>
    public static byte[] NewSeed() => RandomNumberGenerator.GetBytes(SeedBytes);

    /// <summary>A fresh seed drawn from <paramref name="random"/> (pass <see cref="CryptoRandomSource"/> outside tests).</summary>
    /// <param name="random">The source.</param>
    /// <returns>16 random bytes.</returns>
    public static byte[] NewSeed(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var seed = new byte[SeedBytes];
        random.NextBytes(seed);
        return seed;
    }

    /// <summary>Fills <paramref name="destination"/> with the next uniformly random ring elements of the stream.</summary>
    /// <param name="destination">The elements to fill.</param>
    /// <exception cref="ObjectDisposedException">The generator was disposed.</exception>
    public void Fill(Span<ulong> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Interlocked.Add(ref s_keystreamBytes, (long)destination.Length * sizeof(ulong));
        var whole = destination.Length & ~1;
        if (whole > 0)
        {
            var blocks = destination[..whole];
            WriteCounters(blocks, _counter);
            _counter += (ulong)(whole / 2);

            var bytes = MemoryMarshal.AsBytes(blocks);
            _aes.EncryptEcb(bytes, bytes, PaddingMode.None);
        }

        if (whole < destination.Length)
        {
            Span<ulong> last = stackalloc ulong[2];
            Fill(last);
            destination[whole] = last[0];
        }
    }

    /// <summary>
    /// Writes counter blocks (low half the counter, little-endian; high half zero: 2^64 blocks are far beyond any session)
    /// for counters <paramref name="first"/>, <paramref name="first"/> + 1, ... over <paramref name="blocks"/>.
    /// </summary>
    private static void WriteCounters(Span<ulong> blocks, ulong first)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated && BitConverter.IsLittleEndian)
        {
            var counters = Vector512.Create(first, 0, first + 1, 0, first + 2, 0, first + 3, 0);
            var step = Vector512.Create(4UL, 0, 4, 0, 4, 0, 4, 0);
            for (; i <= blocks.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                counters.CopyTo(blocks[i..]);
                counters += step;
            }
        }

        for (; i < blocks.Length; i += 2)
        {
            var counter = first + (ulong)(i / 2);
            blocks[i] = BitConverter.IsLittleEndian ? counter : BinaryPrimitives.ReverseEndianness(counter);
            blocks[i + 1] = 0;
        }
    }

    /// <summary>Returns the next <paramref name="count"/> elements of the stream in an array of their own (reused memory where <see cref="RecycledArrays{T}"/> has it).</summary>
    /// <param name="count">How many.</param>
    /// <returns>The elements.</returns>
    public ulong[] Next(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var result = RecycledArrays<ulong>.Rent(count);
        Fill(result);
        return result;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _aes.Dispose();
        }
    }
}
