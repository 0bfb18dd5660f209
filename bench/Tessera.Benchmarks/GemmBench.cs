using System.Diagnostics;
using System.Globalization;
using Tessera.Kernels;

namespace Tessera.Benchmarks;

/// <summary>
/// A quick GEMM throughput table (GFLOP/s, best of nine short timed rounds after a warm-up), comparable with
/// <c>torch.mm</c> timings taken the same way. Run with <c>dotnet run -c Release --project bench/Tessera.Benchmarks -- gemm</c>.
/// </summary>
public static class GemmBench
{
    /// <summary>The shapes measured by default: square sizes and the LeNet convolution patterns (forward and backward).</summary>
    public static IReadOnlyList<(int M, int N, int K, bool TransposeA, bool TransposeB)> DefaultShapes { get; } =
    [
        (64, 64, 64, false, false),
        (256, 256, 256, false, false),
        (1024, 1024, 1024, false, false),
        (2048, 2048, 2048, false, false),
        (6, 576, 25, false, false),
        (16, 64, 150, false, false),
        (100, 576, 150, false, false),
        (6, 25, 576, false, true),
        (25, 576, 6, true, false),
        (16, 150, 64, false, true),
        (150, 64, 16, true, false),
        (1024, 1024, 1024, true, true),
        (64, 256, 784, false, false),
        (256, 784, 64, true, false),
        (64, 128, 256, false, false),
        (16, 6400, 150, false, false),
    ];

    /// <summary>Measures every default shape in float32, then a few in float64 and the ulong ring, printing one line each.</summary>
    /// <param name="args">Optional: "quick" to skip the 2048 case; "float32" to skip the float64 and ring cases.</param>
    /// <returns>The process exit code (0).</returns>
    public static int Run(string[] args)
    {
        var quick = args.Contains("quick");
        var floatOnly = args.Contains("float32");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"micro-kernel, L1-resident panels, one thread: {KernelPeak():F1} GFLOP/s (float32)"));
        foreach (var s in DefaultShapes)
        {
            if (quick && s.M >= 2048)
            {
                continue;
            }

            Report<float>("float32", s.M, s.N, s.K, s.TransposeA, s.TransposeB, (ta, tb, m, n, k, a, lda, b, ldb, c, ldc)
                => Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc));
        }

        if (floatOnly)
        {
            return 0;
        }

        Report<double>("float64", 1024, 1024, 1024, false, false, (ta, tb, m, n, k, a, lda, b, ldb, c, ldc)
            => Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc));
        Report<ulong>("uint64", 256, 256, 256, false, false, (ta, tb, m, n, k, a, lda, b, ldb, c, ldc)
            => Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc));
        Report<ulong>("uint64", 1024, 1024, 1024, false, false, (ta, tb, m, n, k, a, lda, b, ldb, c, ldc)
            => Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc));
        return 0;
    }

    /// <summary>Times one shape and returns its best throughput in GFLOP/s (2mnk flops per product).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="label">The dtype name printed.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="transposeA">Whether A is stored k x m.</param>
    /// <param name="transposeB">Whether B is stored n x k.</param>
    /// <param name="gemm">The GEMM to time.</param>
    /// <returns>GFLOP/s of the best round.</returns>
    public static double Report<T>(string label, int m, int n, int k, bool transposeA, bool transposeB, GemmCall<T> gemm)
        where T : unmanaged
    {
        var a = Fill<T>(m * k, 1);
        var b = Fill<T>(k * n, 2);
        var c = new T[m * n];
        var lda = transposeA ? m : k;
        var ldb = transposeB ? k : n;
        var flops = 2.0 * m * n * k;
        var reps = (int)Math.Clamp(5e9 / Math.Max(flops, 1), 1, 100_000);
        for (var i = 0; i < Math.Max(1, reps / 10); i++)
        {
            gemm(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, n);
        }

        // The machine is shared, so the best of many short rounds is the most stable figure.
        var best = double.MaxValue;
        for (var round = 0; round < 9; round++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < reps; i++)
            {
                gemm(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, n);
            }

            best = Math.Min(best, sw.Elapsed.TotalSeconds / reps);
        }

        var gflops = flops / best / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{m}x{n}x{k} ta={(transposeA ? 1 : 0)} tb={(transposeB ? 1 : 0)} {label}: {gflops,7:F1} GFLOP/s  {best * 1e6,9:F1} us"));
        return gflops;
    }

    /// <summary>
    /// Runs the float32 micro-kernel alone on panels that stay in L1: the ceiling the blocked GEMM can approach on one core.
    /// </summary>
    /// <returns>GFLOP/s of the best round.</returns>
    public static unsafe double KernelPeak()
    {
        const int Kc = 256;
        var useWide = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;
        var mr = useWide ? GemmKernel512<float>.Mr : GemmKernel256<float>.Mr;
        var nr = useWide ? GemmKernel512<float>.Nr : GemmKernel256<float>.Nr;
        var a = Fill<float>(mr * Kc, 1);
        var b = Fill<float>(nr * Kc, 2);
        var c = new float[mr * nr];
        const int Reps = 20_000;
        var best = double.MaxValue;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            for (var round = 0; round < 4; round++)
            {
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < Reps; i++)
                {
                    if (useWide)
                    {
                        GemmKernel512<float>.Run(Kc, pa, pb, pc, nr, true);
                    }
                    else
                    {
                        GemmKernel256<float>.Run(Kc, pa, pb, pc, nr, true);
                    }
                }

                best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }
        }

        return 2.0 * mr * nr * Kc * Reps / best / 1e9;
    }

    private static T[] Fill<T>(int count, int seed)
        where T : unmanaged
    {
        var random = new Random(seed);
        var data = new T[count];
        for (var i = 0; i < count; i++)
        {
            data[i] = typeof(T) == typeof(float) ? (T)(object)(float)((random.NextDouble() * 2) - 1)
                : typeof(T) == typeof(double) ? (T)(object)((random.NextDouble() * 2) - 1)
                : (T)(object)(ulong)random.NextInt64();
        }

        return data;
    }
}
