namespace Tessera.Privacy.Mechanisms;

/// <summary>
/// The exponential mechanism, sampled exactly by permute-and-flip (McKenna and Sheldon, "Permute-and-Flip: A new
/// mechanism for differentially private selection", NeurIPS 2020).
/// </summary>
/// <remarks>
/// Visit the candidates in a uniformly random order and accept candidate r with probability
/// exp(epsilon (q_r - q_max) / (2 sensitivity)); the best candidate is accepted for certain, so the walk ends. This is
/// epsilon-differentially private like the exponential mechanism with the same exponent, and never has larger expected
/// error. Each acceptance is an exact Bernoulli(exp(-gamma)) draw with gamma computed as an exact rational from the
/// doubles given (<see cref="ExactSamplers.BernoulliExp"/>), so no floating-point exp or log touches the choice.
/// </remarks>
public static class ExponentialMechanism
{
    /// <summary>Selects an index with probability increasing in its score, with epsilon-differential privacy.</summary>
    /// <param name="scores">The candidates' utility scores (higher is better); finite, at least one.</param>
    /// <param name="sensitivity">The most any score changes between neighbouring datasets; positive and finite.</param>
    /// <param name="epsilon">The privacy-loss bound; positive and finite.</param>
    /// <param name="random">The random source; <see cref="CryptoRandomSource.Instance"/> when null.</param>
    /// <returns>The index of the selected candidate.</returns>
    /// <exception cref="ArgumentException"><paramref name="scores"/> is empty or has a non-finite score.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sensitivity"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static int Select(ReadOnlySpan<double> scores, double sensitivity, double epsilon, IRandomSource? random = null)
    {
        GaussianCalibration.CheckPositiveFinite(sensitivity, nameof(sensitivity));
        GaussianCalibration.CheckPositiveFinite(epsilon, nameof(epsilon));
        if (scores.IsEmpty)
        {
            throw new ArgumentException("At least one candidate score is needed.", nameof(scores));
        }

        var exact = new Rational[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            if (!double.IsFinite(scores[i]))
            {
                throw new ArgumentException($"Score {i} is {scores[i]}; scores must be finite.", nameof(scores));
            }

            exact[i] = Rational.FromDouble(scores[i]);
        }

        return Select(exact, Rational.FromDouble(sensitivity), Rational.FromDouble(epsilon), random ?? CryptoRandomSource.Instance);
    }

    /// <summary>Permute-and-flip over exact rational scores.</summary>
    internal static int Select(Rational[] scores, Rational sensitivity, Rational epsilon, IRandomSource random)
    {
        var best = scores[0];
        foreach (var s in scores)
        {
            if (s.CompareTo(best) > 0)
            {
                best = s;
            }
        }

        // gamma_r = (q_max - q_r) * factor, factor = epsilon / (2 sensitivity).
        var factor = (epsilon / (Rational.FromInteger(2) * sensitivity)).Reduce();
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Lazy Fisher-Yates: position k takes a uniform pick among the candidates not yet visited.
        for (var k = 0; k < order.Length; k++)
        {
            var j = k + random.NextInt(order.Length - k);
            (order[k], order[j]) = (order[j], order[k]);
            var candidate = order[k];
            var gamma = ((best - scores[candidate]) * factor).Reduce();
            if (ExactSamplers.BernoulliExpUnchecked(random, gamma.Numerator, gamma.Denominator))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Permute-and-flip ended without accepting the best candidate; this cannot happen.");
    }
}
