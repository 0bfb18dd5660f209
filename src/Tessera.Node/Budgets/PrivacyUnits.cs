namespace Tessera.Node.Budgets;

/// <summary>Converts epsilon and delta to the integer units budgets are kept in: charges round up, totals round down.</summary>
internal static class PrivacyUnits
{
    private const double EpsilonUnit = 1e9;
    private const double DeltaUnit = 1e15;

    public static long EpsilonCharge(double epsilon) => (long)Math.Ceiling(epsilon * EpsilonUnit);

    public static long EpsilonTotal(double epsilon) => (long)Math.Floor(epsilon * EpsilonUnit);

    public static long DeltaCharge(double delta) => (long)Math.Ceiling(delta * DeltaUnit);

    public static long DeltaTotal(double delta) => (long)Math.Floor(delta * DeltaUnit);

    public static double Epsilon(long units) => units / EpsilonUnit;

    public static double Delta(long units) => units / DeltaUnit;
}
