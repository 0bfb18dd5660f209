using Tessera.Kernels;

namespace Tessera.Benchmarks;

/// <summary>Float32 square GEMM through <see cref="Gemm.Multiply(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/>.</summary>
internal static class MatMulSection
{
    public static readonly int[] Sizes = [256, 1024, 2048];

    public static string Key(int n) => $"gemm.{n}.gflops";

    public static string Label(int n) => $"GEMM f32 {n}x{n}x{n}";

    public static IReadOnlyList<Measurement> Run(bool quick, TextWriter log)
    {
        var results = new List<Measurement>();
        var random = new System.Random(1);
        foreach (var n in Sizes)
        {
            var a = RandomMatrix(random, n);
            var b = RandomMatrix(random, n);
            var c = new float[n * n];
            var flops = 2.0 * n * n * n;

            // Small sizes repeat the product inside one timing so that the timer resolution does not matter.
            var inner = n <= 256 ? Math.Max(1, (int)(2e9 / flops)) : 1;
            var reps = quick ? 3 : n <= 256 ? 20 : n <= 1024 ? 10 : 5;
            var timing = Timing.Measure(
                () =>
                {
                    for (var i = 0; i < inner; i++)
                    {
                        Gemm.Multiply(false, false, n, n, n, a, n, b, n, c, n);
                    }
                },
                warmup: 2,
                reps);
            var seconds = timing.BestMs / 1e3 / inner;
            var gflops = flops / seconds / 1e9;
            var wrong = CheckSample(a, b, c, n);
            var note = wrong is null ? $"best of {timing.Reps}" : $"WRONG RESULT: {wrong}";
            results.Add(new Measurement(Key(n), Label(n), Measurement.GflopsUnit, gflops, note));
            log.WriteLine($"tessera gemm {n,4}: {gflops:F2} GFLOP/s ({note})");
        }

        return results;
    }

    private static float[] RandomMatrix(System.Random random, int n)
    {
        var m = new float[n * n];
        for (var i = 0; i < m.Length; i++)
        {
            m[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return m;
    }

    /// <summary>Checks a few entries against a double-precision dot product, so a fast but wrong kernel shows.</summary>
    private static string? CheckSample(float[] a, float[] b, float[] c, int n)
    {
        var random = new System.Random(7);
        for (var s = 0; s < 16; s++)
        {
            var i = random.Next(n);
            var j = random.Next(n);
            var expected = 0.0;
            for (var p = 0; p < n; p++)
            {
                expected += (double)a[(i * n) + p] * b[(p * n) + j];
            }

            var tolerance = 1e-4 * Math.Sqrt(n) * 4;
            if (Math.Abs(c[(i * n) + j] - expected) > tolerance)
            {
                return $"C[{i},{j}] = {c[(i * n) + j]} but expected {expected:G6}";
            }
        }

        return null;
    }
}
