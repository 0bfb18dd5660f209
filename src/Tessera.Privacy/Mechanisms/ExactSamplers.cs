using System.Numerics;

namespace Tessera.Privacy.Mechanisms;

/// <summary>
/// Exact samplers over the integers for differential-privacy noise, after Canonne, Kamath and Steinke,
/// "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020), Algorithms 1 to 3.
/// </summary>
/// <remarks>
/// Every decision is made in integer arithmetic (<see cref="BigInteger"/>) from uniform integers drawn by rejection, so
/// there is no modulo bias and no floating point: the output distributions are exactly the stated ones, given a uniform
/// <see cref="IRandomSource"/>. Expected running time is constant in the parameters' size (a few uniform draws per
/// sample). Pass <see cref="CryptoRandomSource.Instance"/> wherever the noise protects privacy. Methods are thread-safe
/// when the random source is.
/// </remarks>
public static class ExactSamplers
{
    /// <summary>A uniform integer in [0, <paramref name="exclusiveUpper"/>), by rejection (no modulo bias).</summary>
    /// <param name="random">The random source.</param>
    /// <param name="exclusiveUpper">The exclusive upper bound; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="exclusiveUpper"/> is not positive.</exception>
    public static BigInteger UniformInteger(IRandomSource random, BigInteger exclusiveUpper)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (exclusiveUpper.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(exclusiveUpper), exclusiveUpper, "The upper bound must be positive.");
        }

        return Uniform(random, exclusiveUpper);
    }

    /// <summary>A Bernoulli draw that is true with probability <paramref name="numerator"/> / <paramref name="denominator"/>.</summary>
    /// <param name="random">The random source.</param>
    /// <param name="numerator">The probability's numerator; in [0, denominator].</param>
    /// <param name="denominator">The probability's denominator; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">The probability is not in [0, 1].</exception>
    public static bool Bernoulli(IRandomSource random, BigInteger numerator, BigInteger denominator)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckRatio(numerator, denominator, nameof(numerator));
        if (numerator > denominator)
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), numerator, "The probability numerator must not exceed the denominator.");
        }

        return BernoulliUnchecked(random, numerator, denominator);
    }

    /// <summary>
    /// A Bernoulli draw that is true with probability exp(-gamma), gamma = <paramref name="numerator"/> /
    /// <paramref name="denominator"/> (Canonne, Kamath, Steinke 2020, Algorithm 1).
    /// </summary>
    /// <param name="random">The random source.</param>
    /// <param name="numerator">Gamma's numerator; non-negative.</param>
    /// <param name="denominator">Gamma's denominator; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">Gamma is negative or the denominator is not positive.</exception>
    /// <remarks>
    /// For gamma in [0, 1]: draw A_k ~ Bernoulli(gamma / k) for k = 1, 2, ... until one is 0; the result is whether
    /// that k is odd (its probability is the series of exp(-gamma)). For gamma &gt; 1: floor(gamma) draws of
    /// Bernoulli(exp(-1)) and one of Bernoulli(exp(-(gamma - floor(gamma)))), stopping at the first false.
    /// </remarks>
    public static bool BernoulliExp(IRandomSource random, BigInteger numerator, BigInteger denominator)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckRatio(numerator, denominator, nameof(numerator));
        return BernoulliExpUnchecked(random, numerator, denominator);
    }

    /// <summary>
    /// A draw from the discrete Laplace distribution with scale b = <paramref name="scaleNumerator"/> /
    /// <paramref name="scaleDenominator"/>: P[X = x] is proportional to exp(-|x| / b) over the integers
    /// (Canonne, Kamath, Steinke 2020, Algorithm 2, with t = numerator and s = denominator).
    /// </summary>
    /// <param name="random">The random source.</param>
    /// <param name="scaleNumerator">The scale's numerator; positive.</param>
    /// <param name="scaleDenominator">The scale's denominator; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A scale part is not positive.</exception>
    /// <remarks>With integer sensitivity Δ, adding this noise with b = Δ / epsilon gives epsilon-differential privacy.</remarks>
    public static BigInteger DiscreteLaplace(IRandomSource random, BigInteger scaleNumerator, BigInteger scaleDenominator)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckPositive(scaleNumerator, nameof(scaleNumerator));
        CheckPositive(scaleDenominator, nameof(scaleDenominator));
        return DiscreteLaplaceUnchecked(random, scaleNumerator, scaleDenominator);
    }

    /// <summary>
    /// A draw from the discrete Gaussian distribution with parameter sigma^2 = <paramref name="varianceNumerator"/> /
    /// <paramref name="varianceDenominator"/>: P[X = x] is proportional to exp(-x^2 / (2 sigma^2)) over the integers
    /// (Canonne, Kamath, Steinke 2020, Algorithm 3: discrete Laplace proposals with scale t = floor(sigma) + 1, accepted
    /// with probability exp(-(|Y| - sigma^2 / t)^2 / (2 sigma^2))).
    /// </summary>
    /// <param name="random">The random source.</param>
    /// <param name="varianceNumerator">The numerator of sigma^2; positive.</param>
    /// <param name="varianceDenominator">The denominator of sigma^2; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A part of sigma^2 is not positive.</exception>
    /// <remarks>
    /// With integer L2 sensitivity Δ this gives Δ^2 / (2 sigma^2)-zCDP (the paper's Theorem 4), as the continuous
    /// Gaussian does; its variance is at most sigma^2.
    /// </remarks>
    public static BigInteger DiscreteGaussian(IRandomSource random, BigInteger varianceNumerator, BigInteger varianceDenominator)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckPositive(varianceNumerator, nameof(varianceNumerator));
        CheckPositive(varianceDenominator, nameof(varianceDenominator));
        return DiscreteGaussianUnchecked(random, varianceNumerator, varianceDenominator);
    }

    internal static bool BernoulliUnchecked(IRandomSource random, BigInteger numerator, BigInteger denominator)
    {
        if (numerator.IsZero)
        {
            return false;
        }

        return numerator >= denominator || Uniform(random, denominator) < numerator;
    }

    internal static bool BernoulliExpUnchecked(IRandomSource random, BigInteger numerator, BigInteger denominator)
    {
        if (numerator <= denominator)
        {
            return BernoulliExpAtMostOne(random, numerator, denominator);
        }

        var whole = BigInteger.DivRem(numerator, denominator, out var remainder);
        for (var k = BigInteger.Zero; k < whole; k++)
        {
            if (!BernoulliExpAtMostOne(random, BigInteger.One, BigInteger.One))
            {
                return false;
            }
        }

        return BernoulliExpAtMostOne(random, remainder, denominator);
    }

    internal static BigInteger DiscreteLaplaceUnchecked(IRandomSource random, BigInteger t, BigInteger s)
    {
        while (true)
        {
            var u = Uniform(random, t);
            if (!BernoulliExpAtMostOne(random, u, t))
            {
                continue;
            }

            var v = BigInteger.Zero;
            while (BernoulliExpAtMostOne(random, BigInteger.One, BigInteger.One))
            {
                v++;
            }

            var y = (u + (t * v)) / s;
            var negative = (random.NextUInt64() & 1) == 1;
            if (negative && y.IsZero)
            {
                continue;
            }

            return negative ? -y : y;
        }
    }

    internal static BigInteger DiscreteGaussianUnchecked(IRandomSource random, BigInteger n, BigInteger d)
    {
        // sigma^2 = n / d; t = floor(sigma) + 1 = floor(sqrt(floor(n / d))) + 1.
        var t = IntegerSqrt(n / d) + 1;
        var gammaDenominator = 2 * n * d * t * t;
        while (true)
        {
            var y = DiscreteLaplaceUnchecked(random, t, BigInteger.One);
            // (|y| - sigma^2 / t)^2 / (2 sigma^2) = (|y| t d - n)^2 / (2 n d t^2).
            var centred = (BigInteger.Abs(y) * t * d) - n;
            if (BernoulliExpUnchecked(random, centred * centred, gammaDenominator))
            {
                return y;
            }
        }
    }

    /// <summary>The floor of the square root of a non-negative integer (Newton's method on integers).</summary>
    internal static BigInteger IntegerSqrt(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "The value must be non-negative.");
        }

        if (value < 2)
        {
            return value;
        }

        var x = BigInteger.One << (int)((value.GetBitLength() + 1) / 2);
        while (true)
        {
            var next = (x + (value / x)) >> 1;
            if (next >= x)
            {
                return x;
            }

            x = next;
        }
    }

    internal static BigInteger Uniform(IRandomSource random, BigInteger exclusiveUpper)
    {
        if (exclusiveUpper <= ulong.MaxValue)
        {
            var bound = (ulong)exclusiveUpper;
            if (bound == 1)
            {
                return BigInteger.Zero;
            }

            // Accept r below the largest multiple of bound; r % bound is then exactly uniform.
            var limit = ulong.MaxValue - (ulong.MaxValue % bound);
            ulong r;
            do
            {
                r = random.NextUInt64();
            }
            while (r >= limit);
            return r % bound;
        }

        var bits = (int)(exclusiveUpper - 1).GetBitLength();
        var bytes = new byte[(bits + 7) / 8];
        var topMask = (byte)(0xFF >> ((bytes.Length * 8) - bits));
        while (true)
        {
            random.NextBytes(bytes);
            bytes[^1] &= topMask;
            var candidate = new BigInteger(bytes, isUnsigned: true);
            if (candidate < exclusiveUpper)
            {
                return candidate;
            }
        }
    }

    private static bool BernoulliExpAtMostOne(IRandomSource random, BigInteger numerator, BigInteger denominator)
    {
        var k = BigInteger.One;
        while (BernoulliUnchecked(random, numerator, denominator * k))
        {
            k++;
        }

        return !k.IsEven;
    }

    private static void CheckRatio(BigInteger numerator, BigInteger denominator, string numeratorName)
    {
        if (numerator.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(numeratorName, numerator, "The numerator must be non-negative.");
        }

        CheckPositive(denominator, nameof(denominator));
    }

    private static void CheckPositive(BigInteger value, string name)
    {
        if (value.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "The value must be positive.");
        }
    }
}
