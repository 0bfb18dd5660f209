namespace Tessera.Mpc.Encoding;

/// <summary>
/// Encodes real numbers as fixed-point elements of the ring Z_2^64: x becomes round(x * 2^f) in 64-bit two's complement,
/// stored as <see cref="ulong"/> so that ring addition and multiplication are plain wrapping ulong arithmetic.
/// </summary>
/// <remarks>
/// <para>Representable range: with f fractional bits an encoded value is a signed 64-bit integer, so |x| must be below
/// 2^(63 - f) (about 1.4e14 for the default f = 16); <see cref="Encode(ReadOnlySpan{double}, Span{ulong})"/> refuses
/// anything outside it, and NaN or infinities, instead of wrapping silently. The resolution is 2^-f (1.5e-5 for f = 16);
/// encoding rounds to nearest, so its error is at most 2^-(f+1).</para>
/// <para>Products of two encoded values carry 2f fractional bits and must stay below 2^63 in magnitude as integers
/// (|xy| &lt; 2^(63 - 2f), 2^31 for f = 16) before truncation; see the protocols' truncation for its own bound.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class FixedPointEncoder
{
    /// <summary>The default number of fractional bits.</summary>
    public const int DefaultFractionalBits = 16;

    /// <summary>Creates an encoder.</summary>
    /// <param name="fractionalBits">Fractional bits f, 0 to 52 (beyond 52 a double cannot fill them).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fractionalBits"/> is outside 0..52.</exception>
    public FixedPointEncoder(int fractionalBits = DefaultFractionalBits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fractionalBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fractionalBits, 52);
        FractionalBits = fractionalBits;
        Scale = Math.ScaleB(1.0, fractionalBits);
        MaxMagnitude = Math.ScaleB(1.0, 63 - fractionalBits);
    }

    /// <summary>The number of fractional bits f.</summary>
    public int FractionalBits { get; }

    /// <summary>2^f.</summary>
    public double Scale { get; }

    /// <summary>2^(63 - f): every encodable value has a smaller magnitude.</summary>
    public double MaxMagnitude { get; }

    /// <summary>Encodes <paramref name="values"/> into <paramref name="destination"/>.</summary>
    /// <param name="values">The real values; finite, of magnitude below <see cref="MaxMagnitude"/>.</param>
    /// <param name="destination">Where the ring elements go; as long as <paramref name="values"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is not finite or too large to encode.</exception>
    public void Encode(ReadOnlySpan<double> values, Span<ulong> destination)
    {
        CheckLengths(values.Length, destination.Length);
        for (var i = 0; i < values.Length; i++)
        {
            var scaled = Math.Round(values[i] * Scale, MidpointRounding.ToEven);
            if (!(Math.Abs(scaled) < 9.2233720368547758e18))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(values),
                    $"Element {i} is not finite or its magnitude is not below 2^{63 - FractionalBits}, the range of "
                    + $"{FractionalBits}-bit fixed point in 64 bits.");
            }

            destination[i] = unchecked((ulong)(long)scaled);
        }
    }

    /// <summary>Encodes <paramref name="values"/> into a new array.</summary>
    /// <param name="values">The real values.</param>
    /// <returns>The ring elements.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is not finite or too large to encode.</exception>
    public ulong[] Encode(ReadOnlySpan<double> values)
    {
        var result = new ulong[values.Length];
        Encode(values, result);
        return result;
    }

    /// <summary>Encodes a tensor of any floating or integer dtype into a <see cref="DType.UInt64"/> tensor of the same shape.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The ring elements.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is not finite or too large to encode.</exception>
    public Tensor Encode(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var doubles = values.DType == DType.Float64 ? values.ToArray<double>() : values.To(DType.Float64).ToArray<double>();
        return Tensor.FromArray(Encode(doubles), values.ShapeToArray());
    }

    /// <summary>Decodes ring elements (read as two's complement) into reals.</summary>
    /// <param name="elements">The ring elements.</param>
    /// <param name="destination">Where the values go; as long as <paramref name="elements"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public void Decode(ReadOnlySpan<ulong> elements, Span<double> destination)
    {
        CheckLengths(elements.Length, destination.Length);
        var inverse = 1.0 / Scale;
        for (var i = 0; i < elements.Length; i++)
        {
            destination[i] = unchecked((long)elements[i]) * inverse;
        }
    }

    /// <summary>Decodes ring elements into a new array.</summary>
    /// <param name="elements">The ring elements.</param>
    /// <returns>The real values.</returns>
    public double[] Decode(ReadOnlySpan<ulong> elements)
    {
        var result = new double[elements.Length];
        Decode(elements, result);
        return result;
    }

    /// <summary>Decodes a <see cref="DType.UInt64"/> tensor into a <see cref="DType.Float64"/> tensor of the same shape.</summary>
    /// <param name="elements">The ring elements.</param>
    /// <returns>The real values.</returns>
    /// <exception cref="ArgumentException">The tensor is not of dtype UInt64.</exception>
    public Tensor Decode(Tensor elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        if (elements.DType != DType.UInt64)
        {
            throw new ArgumentException($"Decode needs a UInt64 tensor, not {elements.DType}.", nameof(elements));
        }

        return Tensor.FromArray(Decode(elements.ToArray<ulong>()), elements.ShapeToArray());
    }

    private static void CheckLengths(int source, int destination)
    {
        if (source != destination)
        {
            throw new ArgumentException(
                $"The destination holds {destination} elements but the source has {source}.", nameof(destination));
        }
    }
}
