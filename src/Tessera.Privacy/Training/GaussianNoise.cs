using System.Buffers.Binary;

namespace Tessera.Privacy.Training;

/// <summary>Adds N(0, std^2) noise to gradients, from the bits of an <see cref="IRandomSource"/> drawn in bulk.</summary>
/// <remarks>
/// <para>
/// Box-Muller on 53-bit uniforms: <c>u1</c> in (0, 1], <c>u2</c> in [0, 1), <c>r = sqrt(-2 ln u1)</c>, the pair
/// <c>(r cos 2 pi u2, r sin 2 pi u2)</c>. The bits come from the caller's source, by default the OS CSPRNG.
/// </para>
/// <para>
/// This is a floating-point Gaussian, not the exact discrete sampler the DESIGN asks for in releases of data: DP-SGD's
/// noise is added to float gradients of a float model, the noisy sum is never released by itself, and the DP-SGD
/// guarantee (Abadi et al. 2016) is stated for real-valued Gaussian noise as every DP-SGD implementation (Opacus, TF
/// Privacy) draws it. Mironov's (2012) attack needs the released value to be noise plus an exact value whose low-order
/// bits reveal which draw was used; here the value is scaled, added to a float32 sum of clipped gradients and then
/// passed through the optimizer's update. The tails are cut at <c>sqrt(-2 ln 2^-53)</c> = 8.57 standard deviations,
/// a probability of 1e-17 per coordinate.
/// </para>
/// </remarks>
internal static class GaussianNoise
{
    private const int PairsPerChunk = 256;

    /// <summary>Adds independent N(0, <paramref name="std"/>^2) noise to every element.</summary>
    /// <param name="values">The values, changed in place.</param>
    /// <param name="std">The standard deviation; not negative.</param>
    /// <param name="random">The source of random bits.</param>
    public static void Add(Span<float> values, double std, IRandomSource random)
    {
        Span<double> noise = stackalloc double[2 * PairsPerChunk];
        for (var start = 0; start < values.Length; start += noise.Length)
        {
            var count = Math.Min(noise.Length, values.Length - start);
            Fill(noise[..count], std, random);
            for (var i = 0; i < count; i++)
            {
                values[start + i] += (float)noise[i];
            }
        }
    }

    /// <summary>Adds independent N(0, <paramref name="std"/>^2) noise to every element.</summary>
    /// <param name="values">The values, changed in place.</param>
    /// <param name="std">The standard deviation; not negative.</param>
    /// <param name="random">The source of random bits.</param>
    public static void Add(Span<double> values, double std, IRandomSource random)
    {
        Span<double> noise = stackalloc double[2 * PairsPerChunk];
        for (var start = 0; start < values.Length; start += noise.Length)
        {
            var count = Math.Min(noise.Length, values.Length - start);
            Fill(noise[..count], std, random);
            for (var i = 0; i < count; i++)
            {
                values[start + i] += noise[i];
            }
        }
    }

    /// <summary>Writes independent N(0, <paramref name="std"/>^2) draws into <paramref name="destination"/>.</summary>
    /// <param name="destination">At most 2 * 256 elements.</param>
    /// <param name="std">The standard deviation.</param>
    /// <param name="random">The source of random bits.</param>
    public static void Fill(Span<double> destination, double std, IRandomSource random)
    {
        var pairs = (destination.Length + 1) / 2;
        Span<byte> bits = stackalloc byte[16 * PairsPerChunk];
        bits = bits[..(16 * pairs)];
        random.NextBytes(bits);
        for (var p = 0; p < pairs; p++)
        {
            var u1 = ((BinaryPrimitives.ReadUInt64LittleEndian(bits[(16 * p)..]) >> 11) + 1) * (1.0 / (1UL << 53));
            var u2 = (BinaryPrimitives.ReadUInt64LittleEndian(bits[((16 * p) + 8)..]) >> 11) * (1.0 / (1UL << 53));
            var r = std * Math.Sqrt(-2.0 * Math.Log(u1));
            var (sin, cos) = Math.SinCos(2.0 * Math.PI * u2);
            destination[2 * p] = r * cos;
            if ((2 * p) + 1 < destination.Length)
            {
                destination[(2 * p) + 1] = r * sin;
            }
        }
    }
}
