namespace Tessera.Kernels;

/// <summary>Special functions that the BCL does not provide.</summary>
internal static class SpecialFunctions
{
    // Chebyshev fit of erfc (Numerical Recipes, erfcc): fractional error below 1.2e-7 everywhere.
    private static readonly double[] ErfcCoefficients =
    [
        -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
        0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277,
    ];

    /// <summary>The error function, to about 1.2e-7 relative.</summary>
    public static double Erf(double x)
    {
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + (0.5 * z));
        var poly = 0.0;
        for (var i = ErfcCoefficients.Length - 1; i >= 0; i--)
        {
            poly = ErfcCoefficients[i] + (t * poly);
        }

        var r = t * Math.Exp((-z * z) + poly);
        return x >= 0 ? 1 - r : r - 1;
    }
}
