using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Tessera;

/// <summary>Random bits from the operating system's CSPRNG (<see cref="RandomNumberGenerator"/>). Thread-safe.</summary>
public sealed class CryptoRandomSource : IRandomSource
{
    /// <summary>The shared instance.</summary>
    public static CryptoRandomSource Instance { get; } = new();

    /// <inheritdoc/>
    public void NextBytes(Span<byte> destination) => RandomNumberGenerator.Fill(destination);

    /// <inheritdoc/>
    public ulong NextUInt64()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }
}
