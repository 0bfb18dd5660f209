using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Protocols;

/// <summary>Linear operations on additive shares: local, no communication.</summary>
/// <remarks>Operands must have the same shape and fractional bits (no broadcasting yet). Public constants are added by party 0 only.</remarks>
public static class ArithmeticLinear
{
    /// <summary>x + y.</summary>
    /// <param name="x">Shares.</param>
    /// <param name="y">Shares of the same shape and scale.</param>
    /// <returns>Shares of the sum.</returns>
    public static SharedTensor Add(SharedTensor x, SharedTensor y)
    {
        CheckPair(x, y);
        var result = new ulong[x.Count];
        RingKernels.Add(x.Share, y.Share, result);
        return x.With(result, x.FractionalBits);
    }

    /// <summary>x - y.</summary>
    /// <param name="x">Shares.</param>
    /// <param name="y">Shares of the same shape and scale.</param>
    /// <returns>Shares of the difference.</returns>
    public static SharedTensor Subtract(SharedTensor x, SharedTensor y)
    {
        CheckPair(x, y);
        var result = new ulong[x.Count];
        RingKernels.Subtract(x.Share, y.Share, result);
        return x.With(result, x.FractionalBits);
    }

    /// <summary>-x.</summary>
    /// <param name="x">Shares.</param>
    /// <returns>Shares of the negation.</returns>
    public static SharedTensor Negate(SharedTensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new ulong[x.Count];
        RingKernels.Subtract(result, x.Share, result);
        return x.With(result, x.FractionalBits);
    }

    /// <summary>x + p for a public tensor p of x's shape (encoded with x's fractional bits; party 0 adds it).</summary>
    /// <param name="x">Shares.</param>
    /// <param name="value">The public value, the same on every party.</param>
    /// <returns>Shares of the sum.</returns>
    public static SharedTensor AddPublic(SharedTensor x, Tensor value)
    {
        var encoded = EncodePublic(x, value, x.FractionalBits);
        var result = (ulong[])x.Share.Clone();
        if (x.Session.Rank == 0)
        {
            RingKernels.Add(result, encoded, result);
        }

        return x.With(result, x.FractionalBits);
    }

    /// <summary>x * k for a public integer k (the scale is unchanged).</summary>
    /// <param name="x">Shares.</param>
    /// <param name="factor">The integer.</param>
    /// <returns>Shares of the product.</returns>
    public static SharedTensor MultiplyPublic(SharedTensor x, long factor)
    {
        ArgumentNullException.ThrowIfNull(x);
        var k = unchecked((ulong)factor);
        var result = new ulong[x.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = unchecked(x.Share[i] * k);
        }

        return x.With(result, x.FractionalBits);
    }

    /// <summary>
    /// x * p elementwise for a public real tensor p of x's shape, encoded with the session's fractional bits f: the result
    /// has x's fractional bits plus f, so truncate it (<see cref="Truncation.RescaleAsync"/>) before the next product.
    /// </summary>
    /// <param name="x">Shares.</param>
    /// <param name="value">The public value, the same on every party.</param>
    /// <returns>Shares of the product, at the larger scale.</returns>
    public static SharedTensor MultiplyPublic(SharedTensor x, Tensor value)
    {
        var f = x.Session.FractionalBits;
        var encoded = EncodePublic(x, value, f);
        var result = new ulong[x.Count];
        RingKernels.Multiply(x.Share, encoded, result);
        return x.With(result, x.FractionalBits + f);
    }

    private static ulong[] EncodePublic(SharedTensor x, Tensor value, int fractionalBits)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(value);
        if (!value.ShapeToArray().AsSpan().SequenceEqual(x.ShapeArray))
        {
            throw new ArgumentException(
                $"The public value has shape [{string.Join(", ", value.ShapeToArray())}]; the shares have "
                + $"[{string.Join(", ", x.ShapeArray)}].",
                nameof(value));
        }

        return new Encoding.FixedPointEncoder(fractionalBits).Encode(value).ToArray<ulong>();
    }

    private static void CheckPair(SharedTensor x, SharedTensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (!ReferenceEquals(x.Session, y.Session))
        {
            throw new ArgumentException("The operands belong to different sessions.", nameof(y));
        }

        if (!x.ShapeArray.AsSpan().SequenceEqual(y.ShapeArray) || x.FractionalBits != y.FractionalBits)
        {
            throw new ArgumentException(
                $"Operands differ: [{string.Join(", ", x.ShapeArray)}] with {x.FractionalBits} fractional bits and "
                + $"[{string.Join(", ", y.ShapeArray)}] with {y.FractionalBits}.",
                nameof(y));
        }
    }
}
