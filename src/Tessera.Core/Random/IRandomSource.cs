namespace Tessera;

/// <summary>A source of random bits, injected wherever Tessera draws randomness.</summary>
/// <remarks>
/// Use <see cref="CryptoRandomSource"/> wherever randomness protects privacy; <see cref="SeededRandomSource"/> only in tests,
/// simulations and weight initialisation that must be reproducible. Implementations need not be thread-safe.
/// </remarks>
public interface IRandomSource
{
    /// <summary>Fills <paramref name="destination"/> with uniformly random bytes.</summary>
    /// <param name="destination">The bytes to fill.</param>
    void NextBytes(Span<byte> destination);

    /// <summary>A uniformly random 64-bit value.</summary>
    ulong NextUInt64();
}
