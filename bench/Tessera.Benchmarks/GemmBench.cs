using System.Diagnostics;
using System.Globalization;
using Tessera.Kernels;

namespace Tessera.Benchmarks;

/// <summary>
/// A quick GEMM throughput table (GFLOP/s, best of three timed rounds after a warm-up), comparable with
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
    ];

    /// <summary>Measures every default shape in float32, then a few in float64 and the ulong ring, printing one line each.</summary>
    /// <param name="args">Optional: "quick" to skip the 2048 case.</param>
    /// <returns>The process exit code (0).</returns>
    public static int Run(string[] args)
    {
        var quick = args.Contains("quick");
        foreach (var s in DefaultShapes)
        {
            if (quick && s.M >= 2048)
            {
                continue;
            }

            Report<float>("float32", s.M, s.N, s.K, s.TransposeA, s.TransposeB, (ta, tb, m, n, k, a, lda, b, ldb, c, ldc)
                => Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc));
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
        var reps = (int)Math.Clamp(2e9 / Math.Max(flops, 1), 3, 200_000);
        for (var i = 0; i < Math.Max(1, reps / 10); i++)
        {
            gemm(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, n);
        }

        var best = double.MaxValue;
        for (var round = 0; round < 3; round++)
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
