using Tessera.Mpc.Encoding;

namespace Tessera.Mpc;

/// <summary>Settings of an <see cref="MpcSession"/>; every party of a session must use the same values.</summary>
public sealed record MpcSessionOptions
{
    /// <summary>Fractional bits of fixed-point values (default 16, at most 30 so that products of two values fit).</summary>
    public int FractionalBits { get; init; } = FixedPointEncoder.DefaultFractionalBits;

    /// <summary>
    /// How long session start-up (seed exchange, provider set-up) may take in all. Each message wait is bounded by the
    /// communicator's own timeout as well.
    /// </summary>
    public TimeSpan SetupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(FractionalBits, nameof(FractionalBits));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(FractionalBits, 30, nameof(FractionalBits));
        if (SetupTimeout <= TimeSpan.Zero && SetupTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(SetupTimeout), SetupTimeout, "The set-up timeout must be positive or infinite.");
        }
    }
}
