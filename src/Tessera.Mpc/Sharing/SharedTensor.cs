namespace Tessera.Mpc.Sharing;

/// <summary>
/// This party's additive share of a secret tensor over Z_2^64: the secret is the sum, mod 2^64, of all parties' shares.
/// Values are fixed point with <see cref="FractionalBits"/> fractional bits (which grow by a product and shrink by
/// truncation). Holding a share reveals nothing; reading the value takes an explicit reveal on the session.
/// </summary>
public sealed class SharedTensor
{
    private readonly int[] _shape;

    internal SharedTensor(MpcSession session, ulong[] share, int[] shape, int fractionalBits)
    {
        Session = session;
        Share = share;
        _shape = shape;
        FractionalBits = fractionalBits;
    }

    /// <summary>The shape (public to every party).</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Elements.</summary>
    public int Count => Share.Length;

    /// <summary>Fractional bits of the fixed-point value this shares.</summary>
    public int FractionalBits { get; }

    internal MpcSession Session { get; }

    /// <summary>This party's share, row-major. Never sent anywhere except masked or in a reveal.</summary>
    internal ulong[] Share { get; }

    internal int[] ShapeArray => _shape;

    internal SharedTensor With(ulong[] share, int fractionalBits) => new(Session, share, _shape, fractionalBits);
}
