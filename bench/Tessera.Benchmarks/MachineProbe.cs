using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tessera.Benchmarks;

/// <summary>What the machine is and how fast it could be: CPU model, cores, clock and a float32 peak FLOP/s estimate.</summary>
/// <remarks>
/// The formula peak is cores x FMA units x float32 lanes x 2 (multiply and add) x clock, with two FMA units (every
/// x86 core since Haswell and Zen 1) and the lanes of the widest vector the JIT accelerates. Some cores split
/// 512-bit operations into two 256-bit halves (Zen 4), so the runner also measures the peak with independent FMA
/// chains on one core (times the core count), and reports GEMM efficiency against the measured figure.
/// </remarks>
internal sealed record MachineProbe(
    string CpuModel,
    int LogicalCores,
    double? CpuinfoGhz,
    double MeasuredGhz,
    int VectorBits,
    int FmaUnits,
    double FormulaPeakGflops,
    double MeasuredPeakGflops,
    int MeasuredPeakVectorBits)
{
    private const int Chains = 12;

    public static MachineProbe Run()
    {
        var cores = Environment.ProcessorCount;
        var (model, mhz) = ReadCpuinfo();
        var ghz = MeasureClockGhz();
        var vectorBits = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;
        const int fmaUnits = 2;
        var formula = cores * fmaUnits * (vectorBits / 32) * 2 * ghz;
        var (peak, peakBits) = MeasurePeakGflops(cores);
        return new MachineProbe(model, cores, mhz / 1000, ghz, vectorBits, fmaUnits, formula, peak, peakBits);
    }

    private static (string Model, double? Mhz) ReadCpuinfo()
    {
        var model = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
        double? mhz = null;
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }

                var key = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (key == "model name")
                {
                    model = value;
                }
                else if (key == "cpu MHz" && mhz is null
                    && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                {
                    mhz = parsed;
                }
            }
        }
        catch (IOException)
        {
            // Not Linux: the model stays the architecture and the clock is measured only.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return (model, mhz);
    }

    /// <summary>
    /// Clock from a chain of dependent single-cycle integer operations (add, xor): each waits for the one before,
    /// so the chain runs at one operation per cycle on every x86 core; loop overhead executes beside it.
    /// </summary>
    private static double MeasureClockGhz()
    {
        // Many short runs, keeping the fastest: on a shared machine a short run is likelier to get a whole core.
        const long iterations = 1_000_000;
        _ = AddChain(1, 3, iterations);
        var best = double.MaxValue;
        for (var rep = 0; rep < 100; rep++)
        {
            var stopwatch = Stopwatch.StartNew();
            _ = AddChain((ulong)rep, 3, iterations);
            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
        }

        return iterations * 8 / best / 1e9;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong AddChain(ulong x, ulong y, long iterations)
    {
        var z = y * 7;
        for (long i = 0; i < iterations; i++)
        {
            x += y;
            x ^= z;
            x += y;
            x ^= z;
            x += y;
            x ^= z;
            x += y;
            x ^= z;
        }

        return x;
    }

    private static (double Gflops, int Bits) MeasurePeakGflops(int cores)
    {
        var best = (Gflops: MeasureOneCore(Fma256, 8) * cores, Bits: 256);
        if (Vector512.IsHardwareAccelerated)
        {
            var wide = MeasureOneCore(Fma512, 16) * cores;
            if (wide > best.Gflops)
            {
                best = (wide, 512);
            }
        }

        return best;
    }

    /// <summary>
    /// One core's FMA throughput, best of many short runs. Multiplied by the core count rather than measured on all
    /// cores at once, because the other engineers' builds on this shared machine would take a share of a parallel run.
    /// </summary>
    private static double MeasureOneCore(Func<long, float> kernel, int lanes)
    {
        const long iterations = 500_000;
        _ = kernel(iterations);
        var best = double.MaxValue;
        for (var rep = 0; rep < 100; rep++)
        {
            var stopwatch = Stopwatch.StartNew();
            _ = kernel(iterations);
            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
        }

        return iterations * Chains * lanes * 2.0 / best / 1e9;
    }

    // Twelve independent accumulators cover FMA latency (4-5 cycles) times two FMA units with room to spare.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Fma256(long iterations)
    {
        var m = Vector256.Create(0.9999999f);
        var c = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        Vector256<float> a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c);
            a1 = Vector256.FusedMultiplyAdd(a1, m, c);
            a2 = Vector256.FusedMultiplyAdd(a2, m, c);
            a3 = Vector256.FusedMultiplyAdd(a3, m, c);
            a4 = Vector256.FusedMultiplyAdd(a4, m, c);
            a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c);
            a7 = Vector256.FusedMultiplyAdd(a7, m, c);
            a8 = Vector256.FusedMultiplyAdd(a8, m, c);
            a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            a10 = Vector256.FusedMultiplyAdd(a10, m, c);
            a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Fma512(long iterations)
    {
        var m = Vector512.Create(0.9999999f);
        var c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        Vector512<float> a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c);
            a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c);
            a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c);
            a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c);
            a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c);
            a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
