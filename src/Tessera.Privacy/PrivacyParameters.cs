namespace Tessera.Privacy;

/// <summary>
/// An (epsilon, delta) differential-privacy guarantee: the privacy loss a release or a composition of releases costs.
/// </summary>
public readonly record struct PrivacyParameters
{
    /// <summary>Creates a guarantee, checking that epsilon is finite and non-negative and delta lies in [0, 1).</summary>
    /// <param name="epsilon">The privacy-loss bound; 0 means no loss.</param>
    /// <param name="delta">The probability with which the bound may fail.</param>
    public PrivacyParameters(double epsilon, double delta)
    {
        if (!double.IsFinite(epsilon) || epsilon < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be finite and non-negative.");
        }

        if (!double.IsFinite(delta) || delta < 0 || delta >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Delta must lie in [0, 1).");
        }

        Epsilon = epsilon;
        Delta = delta;
    }

    /// <summary>The privacy-loss bound.</summary>
    public double Epsilon { get; }

    /// <summary>The probability with which the bound may fail.</summary>
    public double Delta { get; }

    /// <inheritdoc />
    public override string ToString() => $"(epsilon = {Epsilon:G6}, delta = {Delta:G3})";
}
