namespace Tessera.Privacy.Accounting;

/// <summary>
/// A Rényi-DP accountant for DP-SGD: each step is the Poisson-subsampled Gaussian mechanism with a noise multiplier and a
/// sampling rate; the RDP of the steps adds up per order, and <see cref="GetEpsilon"/> converts the total to
/// (epsilon, delta) with the tight conversion, minimising over the orders. Not thread-safe.
/// </summary>
public sealed class RdpAccountant
{
    private readonly double[] _orders;
    private readonly double[] _rdp;
    private readonly List<(double NoiseMultiplier, double SampleRate, long Steps)> _history = [];

    /// <summary>Creates an accountant with Opacus's default orders: 1.1, 1.2, ..., 10.9 and 12, 13, ..., 63.</summary>
    public RdpAccountant()
        : this(DefaultOrders)
    {
    }

    /// <summary>Creates an accountant over the given orders.</summary>
    /// <param name="orders">The Rényi orders, each greater than 1 (infinity allowed).</param>
    /// <exception cref="ArgumentException">No orders, or an order not above 1.</exception>
    public RdpAccountant(IReadOnlyList<double> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        if (orders.Count == 0)
        {
            throw new ArgumentException("Give at least one Rényi order.", nameof(orders));
        }

        foreach (var order in orders)
        {
            if (!(order > 1))
            {
                throw new ArgumentOutOfRangeException(nameof(orders), order, "Rényi orders must be greater than 1.");
            }
        }

        _orders = [.. orders];
        _rdp = new double[_orders.Length];
    }

    /// <summary>Opacus's default orders: 1 + x / 10 for x in 1..99, then 12..63.</summary>
    public static IReadOnlyList<double> DefaultOrders { get; } = [.. Enumerable.Range(1, 99).Select(x => 1 + (x / 10.0)), .. Enumerable.Range(12, 52).Select(x => (double)x)];

    /// <summary>The orders.</summary>
    public IReadOnlyList<double> Orders => _orders;

    /// <summary>The accumulated RDP per order.</summary>
    public IReadOnlyList<double> Rdp => _rdp;

    /// <summary>The steps taken so far, consecutive steps with the same parameters merged.</summary>
    public IReadOnlyList<(double NoiseMultiplier, double SampleRate, long Steps)> History => _history;

    /// <summary>Records <paramref name="steps"/> steps of the subsampled Gaussian mechanism.</summary>
    /// <param name="noiseMultiplier">The noise standard deviation over the clipping norm; non-negative (0 means no privacy).</param>
    /// <param name="sampleRate">The Poisson sampling rate, in [0, 1].</param>
    /// <param name="steps">How many steps; non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public void Step(double noiseMultiplier, double sampleRate, int steps = 1)
    {
        Check(noiseMultiplier, sampleRate, steps);
        if (steps == 0)
        {
            return;
        }

        for (var i = 0; i < _orders.Length; i++)
        {
            _rdp[i] += steps * RdpMath.SubsampledGaussian(sampleRate, noiseMultiplier, _orders[i]);
        }

        if (_history.Count > 0 && _history[^1].NoiseMultiplier == noiseMultiplier && _history[^1].SampleRate == sampleRate)
        {
            _history[^1] = (noiseMultiplier, sampleRate, _history[^1].Steps + steps);
        }
        else
        {
            _history.Add((noiseMultiplier, sampleRate, steps));
        }
    }

    /// <summary>The epsilon spent so far at <paramref name="delta"/>.</summary>
    /// <param name="delta">The failure probability, in (0, 1).</param>
    /// <returns>The epsilon (0 before any step; infinity without noise).</returns>
    public double GetEpsilon(double delta) => GetEpsilonAndOrder(delta).Epsilon;

    /// <summary>The epsilon spent so far at <paramref name="delta"/>, and the order that achieves it.</summary>
    /// <param name="delta">The failure probability, in (0, 1).</param>
    /// <returns>The epsilon and the optimal order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not in (0, 1).</exception>
    public (double Epsilon, double Order) GetEpsilonAndOrder(double delta)
    {
        CheckDelta(delta);
        return RdpMath.Epsilon(_orders, _rdp, delta);
    }

    /// <summary>The epsilon of <paramref name="steps"/> steps with the given parameters, at <paramref name="delta"/>, over the default orders.</summary>
    /// <param name="noiseMultiplier">The noise multiplier.</param>
    /// <param name="sampleRate">The Poisson sampling rate.</param>
    /// <param name="steps">The number of steps.</param>
    /// <param name="delta">The failure probability.</param>
    /// <returns>The epsilon.</returns>
    public static double EpsilonFor(double noiseMultiplier, double sampleRate, int steps, double delta)
    {
        var accountant = new RdpAccountant();
        accountant.Step(noiseMultiplier, sampleRate, steps);
        return accountant.GetEpsilon(delta);
    }

    /// <summary>
    /// The smallest noise multiplier (to 1e-9 relative) with which <paramref name="steps"/> steps at
    /// <paramref name="sampleRate"/> stay within (<paramref name="targetEpsilon"/>, <paramref name="delta"/>); epsilon
    /// decreases with the noise, so a bisection finds it.
    /// </summary>
    /// <param name="targetEpsilon">The budget's epsilon; positive.</param>
    /// <param name="delta">The budget's delta, in (0, 1).</param>
    /// <param name="sampleRate">The Poisson sampling rate, in (0, 1].</param>
    /// <param name="steps">The number of steps; positive.</param>
    /// <returns>The noise multiplier.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <exception cref="ArgumentException">No noise multiplier up to 10^6 reaches the target.</exception>
    public static double NoiseMultiplierFor(double targetEpsilon, double delta, double sampleRate, int steps)
    {
        if (!double.IsFinite(targetEpsilon) || targetEpsilon <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(targetEpsilon), targetEpsilon, "The target epsilon must be positive and finite.");
        }

        CheckDelta(delta);
        if (!(sampleRate > 0 && sampleRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sampling rate must lie in (0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        double low = 0, high = 1;
        while (EpsilonFor(high, sampleRate, steps, delta) > targetEpsilon)
        {
            low = high;
            high *= 2;
            if (high > 1e6)
            {
                throw new ArgumentException(
                    $"No noise multiplier up to 1e6 keeps {steps} steps at sampling rate {sampleRate} within epsilon {targetEpsilon} at delta {delta}.",
                    nameof(targetEpsilon));
            }
        }

        while (high - low > 1e-9 * high)
        {
            var mid = (low + high) / 2;
            if (EpsilonFor(mid, sampleRate, steps, delta) > targetEpsilon)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return high;
    }

    private static void Check(double noiseMultiplier, double sampleRate, int steps)
    {
        if (!(noiseMultiplier >= 0) || double.IsPositiveInfinity(noiseMultiplier))
        {
            throw new ArgumentOutOfRangeException(nameof(noiseMultiplier), noiseMultiplier, "The noise multiplier must be finite and non-negative.");
        }

        if (!(sampleRate >= 0 && sampleRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sampling rate must lie in [0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(steps);
    }

    private static void CheckDelta(double delta)
    {
        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Delta must lie in (0, 1).");
        }
    }
}
