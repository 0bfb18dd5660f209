using Tessera.Mpc.Protocols;
using Tessera.Mpc.Sharing;
using Tessera.Mpc.Tensors;

namespace Tessera.Mpc;

/// <summary>
/// A secret tensor that reads like <see cref="Tensor"/>: this party's additive share (a <see cref="SharedTensor"/>) and
/// the <see cref="MpcSession"/> it belongs to. Synchronous members are local (no messages, zero rounds); members that end
/// in <c>Async</c> communicate, and every party must call them in the same order with the same shapes.
/// </summary>
/// <remarks>
/// <para>Values are fixed point with the session's fractional bits f (16 by default). Products are truncated back to f
/// at once (one extra round), so every <see cref="EncryptedTensor"/> a user sees is at scale f, except comparison results,
/// which are shares of 0 or 1 with 0 fractional bits: a product with them keeps the other operand's scale and needs no
/// truncation. Range: |x| &lt; 2^(63-f) for sums; a product must stay below 2^(62-2f) in real magnitude before truncation
/// (2^30 for f = 16); nothing checks it.</para>
/// <para>Rounds per call: add, subtract, negate, public add, sum, reshape, transpose: 0. Mul/MatMul/Conv2d with a shared
/// operand: 2 (Beaver opening, truncation); with a public operand: 1 (truncation). Comparisons: 8; ReLU, abs, max, min:
/// 9. Decrypt: 1. See PROTOCOLS.md for bytes.</para>
/// </remarks>
public sealed partial class EncryptedTensor
{
    internal EncryptedTensor(SharedTensor shares)
    {
        Shares = shares;
    }

    /// <summary>This party's shares.</summary>
    public SharedTensor Shares { get; }

    /// <summary>The session the shares belong to.</summary>
    public MpcSession Session => Shares.Session;

    /// <summary>The shape (public to every party).</summary>
    public IReadOnlyList<int> Shape => Shares.Shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => Shares.ShapeArray.Length;

    /// <summary>Elements.</summary>
    public int Count => Shares.Count;

    /// <summary>Fractional bits of the fixed-point value (the session's, or 0 for comparison results).</summary>
    public int FractionalBits => Shares.FractionalBits;

    private int[] ShapeArray => Shares.ShapeArray;

    /// <summary>
    /// Encrypts (secret-shares) a tensor that <paramref name="owner"/> holds; local, zero rounds (pseudo-random
    /// zero-sharing plus the owner's encoded value).
    /// </summary>
    /// <param name="session">This party's session.</param>
    /// <param name="owner">The rank that holds the value.</param>
    /// <param name="value">The value on the owner; null elsewhere.</param>
    /// <param name="shape">The value's shape, known to every party.</param>
    /// <returns>This party's encrypted tensor.</returns>
    /// <exception cref="ArgumentException">The owner passed no value or one of another shape.</exception>
    public static EncryptedTensor Encrypt(MpcSession session, int owner, Tensor? value, params int[] shape) =>
        new(session.Share(owner, value, shape));

    /// <summary>Wraps existing shares.</summary>
    /// <param name="shares">This party's shares.</param>
    /// <returns>The encrypted tensor.</returns>
    public static EncryptedTensor FromShares(SharedTensor shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        return new EncryptedTensor(shares);
    }

    /// <summary>this + other; local. <paramref name="other"/> may also have a trailing part of this shape (a bias [n] added
    /// to every row of [m, n]): it is repeated over the leading dimensions, and its gradient is summed over them.</summary>
    /// <param name="other">An encrypted tensor of the same shape (or a suffix of it), session and scale.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentException">The shapes differ and the other is not a suffix.</exception>
    public EncryptedTensor Add(EncryptedTensor other)
    {
        var o = Unwrap(other);
        if (o.ShapeArray.AsSpan().SequenceEqual(ShapeArray))
        {
            return new EncryptedTensor(ArithmeticLinear.Add(Shares, o)).Record("add", g => [g, g], this, other);
        }

        var expanded = other.RepeatTo(ShapeArray);
        var otherShape = other.ShapeArray;
        return new EncryptedTensor(ArithmeticLinear.Add(Shares, expanded.Shares))
            .Record("add", g => [g, g.Reshape(-1, other.Count).Sum(0).Reshape(otherShape)], this, other);
    }

    /// <summary>this + p for a public tensor of the same shape (party 0 adds it); local.</summary>
    /// <param name="value">The public value, the same on every party.</param>
    /// <returns>The sum.</returns>
    public EncryptedTensor Add(Tensor value) => new EncryptedTensor(ArithmeticLinear.AddPublic(Shares, value)).Record("add public", g => [g], this);

    /// <summary>this + c for a public scalar; local.</summary>
    /// <param name="value">The public scalar.</param>
    /// <returns>The sum.</returns>
    public EncryptedTensor Add(double value) => Add(Filled(value));

    /// <summary>this - other; local.</summary>
    /// <param name="other">An encrypted tensor of the same shape, session and scale.</param>
    /// <returns>The difference.</returns>
    public EncryptedTensor Sub(EncryptedTensor other) =>
        new EncryptedTensor(ArithmeticLinear.Subtract(Shares, Unwrap(other))).Record("sub", g => [g, g.Neg()], this, other);

    /// <summary>this - p for a public tensor of the same shape; local.</summary>
    /// <param name="value">The public value, the same on every party.</param>
    /// <returns>The difference.</returns>
    public EncryptedTensor Sub(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Add(value.Neg());
    }

    /// <summary>this - c for a public scalar; local.</summary>
    /// <param name="value">The public scalar.</param>
    /// <returns>The difference.</returns>
    public EncryptedTensor Sub(double value) => Add(-value);

    /// <summary>-this; local.</summary>
    /// <returns>The negation.</returns>
    public EncryptedTensor Neg() => new EncryptedTensor(ArithmeticLinear.Negate(Shares)).Record("neg", g => [g.Neg()], this);

    /// <summary>The sum of all elements, shape [] (a scalar); local, wrapping.</summary>
    /// <returns>The sum.</returns>
    public EncryptedTensor Sum()
    {
        var total = 0UL;
        foreach (var s in Shares.Share)
        {
            total = unchecked(total + s);
        }

        var shape = ShapeArray;
        return new EncryptedTensor(new SharedTensor(Session, [total], [], FractionalBits))
            .Record("sum", g => [g.RepeatTo(shape)], this);
    }

    /// <summary>The sum over dimension <paramref name="dim"/>; local.</summary>
    /// <param name="dim">The dimension; negative counts from the end.</param>
    /// <param name="keepDim">Keep the reduced dimension with size 1.</param>
    /// <returns>The sums.</returns>
    public EncryptedTensor Sum(int dim, bool keepDim = false)
    {
        var d = NormalizeDim(dim, nameof(dim));
        var sum = ShareLayout.SumDim(Shares.Share, ShapeArray, d);
        var shape = ShapeArray.ToList();
        if (keepDim)
        {
            shape[d] = 1;
        }
        else
        {
            shape.RemoveAt(d);
        }

        var original = ShapeArray;
        return new EncryptedTensor(new SharedTensor(Session, sum, [.. shape], FractionalBits))
            .Record("sum dim", g => [g.ExpandDim(original, d)], this);
    }

    /// <summary>The same elements in another shape (one dimension may be -1); local, the share is not copied.</summary>
    /// <param name="shape">The new shape, with as many elements.</param>
    /// <returns>The reshaped tensor.</returns>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    public EncryptedTensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var resolved = (int[])shape.Clone();
        var unknown = Array.IndexOf(resolved, -1);
        if (unknown >= 0)
        {
            var known = 1;
            for (var i = 0; i < resolved.Length; i++)
            {
                known *= i == unknown ? 1 : resolved[i];
            }

            resolved[unknown] = known == 0 ? 0 : Count / known;
        }

        if (resolved.Any(d => d < 0) || ArithmeticSharing.CountOf(resolved) != Count)
        {
            throw new ArgumentException(
                $"Cannot reshape [{string.Join(", ", ShapeArray)}] ({Count} elements) to [{string.Join(", ", shape)}].",
                nameof(shape));
        }

        var original = ShapeArray;
        return new EncryptedTensor(new SharedTensor(Session, Shares.Share, resolved, FractionalBits))
            .Record("reshape", g => [g.Reshape(original)], this);
    }

    /// <summary>The elements <paramref name="start"/> to start + length - 1 along <paramref name="dim"/> (e.g. a batch of
    /// rows); local, copies the share. The gradient is scattered back into zeros.</summary>
    /// <param name="dim">The dimension; negative counts from the end.</param>
    /// <param name="start">The first index.</param>
    /// <param name="length">How many.</param>
    /// <returns>The slice.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range does not fit the dimension.</exception>
    public EncryptedTensor Narrow(int dim, int start, int length)
    {
        var d = NormalizeDim(dim, nameof(dim));
        var size = ShapeArray[d];
        if (start < 0 || length < 0 || start + length > size)
        {
            throw new ArgumentOutOfRangeException(
                nameof(length), $"Narrow({start}, {length}) does not fit dimension {dim} of size {size} in [{string.Join(", ", ShapeArray)}].");
        }

        var (outer, inner) = OuterInner(ShapeArray, d);
        var share = new ulong[outer * length * inner];
        for (var o = 0; o < outer; o++)
        {
            Array.Copy(Shares.Share, ((o * size) + start) * inner, share, o * length * inner, length * inner);
        }

        var shape = (int[])ShapeArray.Clone();
        shape[d] = length;
        var original = ShapeArray;
        return new EncryptedTensor(new SharedTensor(Session, share, shape, FractionalBits)).Record(
            "narrow",
            g =>
            {
                var full = new ulong[ArithmeticSharing.CountOf(original)];
                for (var o = 0; o < outer; o++)
                {
                    Array.Copy(g.Shares.Share, o * length * inner, full, ((o * size) + start) * inner, length * inner);
                }

                return [new EncryptedTensor(new SharedTensor(Session, full, original, g.FractionalBits))];
            },
            this);
    }

    /// <summary>Swaps two dimensions (the last two by default); local, copies the share.</summary>
    /// <param name="dim0">A dimension; negative counts from the end.</param>
    /// <param name="dim1">Another dimension.</param>
    /// <returns>The transposed tensor.</returns>
    public EncryptedTensor Transpose(int dim0 = -2, int dim1 = -1)
    {
        var d0 = NormalizeDim(dim0, nameof(dim0));
        var d1 = NormalizeDim(dim1, nameof(dim1));
        var shape = (int[])ShapeArray.Clone();
        (shape[d0], shape[d1]) = (shape[d1], shape[d0]);
        var share = ShareLayout.Transpose(Shares.Share, ShapeArray, d0, d1);
        return new EncryptedTensor(new SharedTensor(Session, share, shape, FractionalBits))
            .Record("transpose", g => [g.Transpose(d0, d1)], this);
    }

    /// <summary>Reveals the value to every party; 1 round, 8n bytes to each other party.</summary>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The value, Float64.</returns>
    public ValueTask<Tensor> DecryptAsync(CancellationToken cancellationToken = default) =>
        Session.RevealAsync(Shares, cancellationToken);

    /// <summary>Reveals the value to <paramref name="receiver"/> only; 1 round, 8n bytes from each other party to it.</summary>
    /// <param name="receiver">The rank that learns the value.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The value (Float64) on the receiver; null elsewhere.</returns>
    public ValueTask<Tensor?> DecryptToAsync(int receiver, CancellationToken cancellationToken = default) =>
        Session.RevealToAsync(Shares, receiver, cancellationToken);

    /// <inheritdoc/>
    public override string ToString() =>
        $"EncryptedTensor([{string.Join(", ", ShapeArray)}], f = {FractionalBits}, party {Session.Rank} of {Session.Parties})";

    private SharedTensor Unwrap(EncryptedTensor other, string paramName = "other")
    {
        ArgumentNullException.ThrowIfNull(other, paramName);
        return other.Shares;
    }

    /// <summary>Repeats this tensor's elements to fill <paramref name="shape"/>, of which this shape (or a scalar) is a
    /// trailing part; local, not recorded.</summary>
    private EncryptedTensor RepeatTo(int[] shape)
    {
        var count = ArithmeticSharing.CountOf(shape);
        var suffix = ShapeArray.Length <= shape.Length && shape.AsSpan(shape.Length - ShapeArray.Length).SequenceEqual(ShapeArray);
        if (Count != 1 && !suffix)
        {
            throw new ArgumentException(
                $"Cannot broadcast [{string.Join(", ", ShapeArray)}] to [{string.Join(", ", shape)}]: only a trailing part or a "
                + "single element repeats.",
                "other");
        }

        var share = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            share[i] = Shares.Share[i % Count];
        }

        return new EncryptedTensor(new SharedTensor(Session, share, (int[])shape.Clone(), FractionalBits));
    }

    /// <summary>Repeats a reduced tensor (dimension <paramref name="dim"/> removed or of size 1) along that dimension of
    /// <paramref name="shape"/>; local, not recorded.</summary>
    private EncryptedTensor ExpandDim(int[] shape, int dim)
    {
        int outer = 1, inner = 1;
        for (var i = 0; i < dim; i++)
        {
            outer *= shape[i];
        }

        for (var i = dim + 1; i < shape.Length; i++)
        {
            inner *= shape[i];
        }

        var size = shape[dim];
        var share = new ulong[outer * size * inner];
        for (var o = 0; o < outer; o++)
        {
            for (var s = 0; s < size; s++)
            {
                Array.Copy(Shares.Share, o * inner, share, ((o * size) + s) * inner, inner);
            }
        }

        return new EncryptedTensor(new SharedTensor(Session, share, (int[])shape.Clone(), FractionalBits));
    }

    private static (int Outer, int Inner) OuterInner(int[] shape, int dim)
    {
        int outer = 1, inner = 1;
        for (var i = 0; i < dim; i++)
        {
            outer *= shape[i];
        }

        for (var i = dim + 1; i < shape.Length; i++)
        {
            inner *= shape[i];
        }

        return (outer, inner);
    }

    private Tensor Filled(double value) => Tensor.Full(ShapeArray, value, DType.Float64);

    private int NormalizeDim(int dim, string paramName)
    {
        var d = dim < 0 ? dim + Rank : dim;
        if (d < 0 || d >= Rank)
        {
            throw new ArgumentOutOfRangeException(
                paramName, $"Dimension {dim} does not exist in shape [{string.Join(", ", ShapeArray)}].");
        }

        return d;
    }
}
