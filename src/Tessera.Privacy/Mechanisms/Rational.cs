using System.Numerics;

namespace Tessera.Privacy.Mechanisms;

/// <summary>
/// An exact rational number with a positive denominator. Every finite double is a dyadic rational, so privacy decisions
/// that start from doubles (epsilon, scores, sensitivities) can be made exactly in this type, with no rounding.
/// </summary>
internal readonly record struct Rational
{
    public Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(denominator), "The denominator must not be zero.");
        }

        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }

        Numerator = numerator;
        Denominator = denominator;
    }

    public BigInteger Numerator { get; }

    public BigInteger Denominator { get; }

    public int Sign => Numerator.Sign;

    public static Rational Zero => new(BigInteger.Zero, BigInteger.One);

    /// <summary>The exact value of a finite double: mantissa times a power of two.</summary>
    public static Rational FromDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Only finite doubles have an exact rational value.");
        }

        if (value == 0)
        {
            return Zero;
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        exponent -= 1075;
        var shift = Math.Min(long.TrailingZeroCount(mantissa), Math.Max(0, -exponent));
        mantissa >>= (int)shift;
        exponent += (int)shift;

        BigInteger numerator = negative ? -mantissa : mantissa;
        return exponent >= 0 ? new Rational(numerator << exponent, BigInteger.One) : new Rational(numerator, BigInteger.One << -exponent);
    }

    public static Rational FromInteger(BigInteger value) => new(value, BigInteger.One);

    public static Rational operator +(Rational a, Rational b) =>
        a.Denominator == b.Denominator
            ? new Rational(a.Numerator + b.Numerator, a.Denominator)
            : new Rational((a.Numerator * b.Denominator) + (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

    public static Rational operator -(Rational a, Rational b) => a + new Rational(-b.Numerator, b.Denominator);

    public static Rational operator *(Rational a, Rational b) => new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static Rational operator /(Rational a, Rational b) => new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    public Rational Abs() => new(BigInteger.Abs(Numerator), Denominator);

    public int CompareTo(Rational other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    /// <summary>Divides numerator and denominator by their greatest common divisor, keeping later products small.</summary>
    public Rational Reduce()
    {
        var gcd = BigInteger.GreatestCommonDivisor(Numerator, Denominator);
        return gcd.IsOne || gcd.IsZero ? this : new Rational(Numerator / gcd, Denominator / gcd);
    }
}
