namespace Tessera.Node.Plans;

/// <summary>What one plan may ask of the node, checked before anything is loaded or computed.</summary>
internal static class PlanLimits
{
    public const int MaxSteps = 256;
    public const int MaxOutputs = 32;
    public const long MaxElementsPerStep = 50_000_000;
    public const long MaxTotalElements = 200_000_000;
    public const double MaxMatMulFlops = 5e9;
    public static readonly TimeSpan MaxRunTime = TimeSpan.FromSeconds(60);
}
