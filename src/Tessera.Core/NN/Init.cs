namespace Tessera.NN;

/// <summary>Weight initialisations, with PyTorch's defaults for its layers.</summary>
public static class Init
{
    /// <summary>A random source for initialisation when the caller gives none: seeded once from the OS.</summary>
    internal static IRandomSource DefaultRandom() => new SeededRandomSource(CryptoRandomSource.Instance.NextUInt64());

    /// <summary>Uniform in [-bound, bound).</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="bound">The bound; not negative.</param>
    /// <param name="random">The random source.</param>
    public static Tensor Uniform(int[] shape, double bound, IRandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bound);
        return Tensor.Uniform(shape, random, -bound, bound);
    }

    /// <summary>
    /// PyTorch's default for Linear and Conv weights: kaiming_uniform with a = sqrt(5), which is uniform in
    /// [-1/sqrt(fanIn), 1/sqrt(fanIn)].
    /// </summary>
    /// <param name="shape">The weight shape.</param>
    /// <param name="fanIn">Inputs per output unit.</param>
    /// <param name="random">The random source.</param>
    public static Tensor KaimingUniformDefault(int[] shape, int fanIn, IRandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        return Uniform(shape, 1.0 / Math.Sqrt(fanIn), random);
    }

    /// <summary>Kaiming (He) normal for ReLU networks: std = sqrt(2 / fanIn).</summary>
    /// <param name="shape">The weight shape.</param>
    /// <param name="fanIn">Inputs per output unit.</param>
    /// <param name="random">The random source.</param>
    public static Tensor KaimingNormal(int[] shape, int fanIn, IRandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        return Tensor.Normal(shape, random, 0, Math.Sqrt(2.0 / fanIn));
    }

    /// <summary>Xavier (Glorot) uniform: bound = sqrt(6 / (fanIn + fanOut)).</summary>
    /// <param name="shape">The weight shape.</param>
    /// <param name="fanIn">Inputs per output unit.</param>
    /// <param name="fanOut">Outputs per input unit.</param>
    /// <param name="random">The random source.</param>
    public static Tensor XavierUniform(int[] shape, int fanIn, int fanOut, IRandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn + fanOut);
        return Uniform(shape, Math.Sqrt(6.0 / (fanIn + fanOut)), random);
    }
}
