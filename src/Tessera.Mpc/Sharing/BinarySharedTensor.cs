namespace Tessera.Mpc.Sharing;

/// <summary>
/// This party's XOR (binary) share of a secret tensor of 64-bit words: the secret is the XOR of all parties' shares.
/// Each element's 64 bits live in one word, so a bitwise operation on a tensor acts on every bit of every element at
/// once (bitsliced per element). A word may hold a ring element (after arithmetic-to-binary conversion) or a single bit
/// in bit 0 (a comparison result before bit-to-arithmetic conversion). A separate type from <see cref="SharedTensor"/>
/// so that additive and XOR shares cannot be mixed by mistake.
/// </summary>
public sealed class BinarySharedTensor
{
    private readonly int[] _shape;

    internal BinarySharedTensor(MpcSession session, ulong[] share, int[] shape)
    {
        Session = session;
        Share = share;
        _shape = shape;
    }

    /// <summary>The shape (public to every party).</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Elements.</summary>
    public int Count => Share.Length;

    internal MpcSession Session { get; }

    /// <summary>This party's share, row-major. Never sent anywhere except masked or in a reveal.</summary>
    internal ulong[] Share { get; }

    internal int[] ShapeArray => _shape;

    internal BinarySharedTensor With(ulong[] share) => new(Session, share, _shape);
}
