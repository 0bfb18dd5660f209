namespace Tessera.Privacy.Aggregates;

/// <summary>A differentially private release: the noisy value and the privacy budget its computation spent.</summary>
/// <typeparam name="T">The released value's type.</typeparam>
/// <param name="Value">The noisy value, safe to publish.</param>
/// <param name="Spent">The (epsilon, delta) the release cost; charge it to the budget.</param>
public sealed record DpRelease<T>(T Value, PrivacyParameters Spent);
