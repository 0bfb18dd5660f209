using System.Diagnostics;
using System.Globalization;
using Tessera.Kernels;

namespace Tessera.Benchmarks;

/// <summary>
/// Ring GEMM (uint64 modulo 2^64) throughput, the row-update kernel against the register-blocked one side by side, in
/// GMAC/s, best of five rounds of at least 100 ms each, the kernels' rounds interleaved. Run with
/// <c>dotnet run -c Release --project bench/Tessera.Benchmarks -- ringgemm</c>.
/// </summary>
public static class RingGemmBench
{
    private const int Rounds = 5;

    private delegate void RingGemm(int m, int n, int k, ulong[] a, ulong[] b, ulong[] c);

    /// <summary>Gets the shapes measured: squares, a Beaver matmul of a dense layer and the LeNet convolution products.</summary>
    public static IReadOnlyList<(int M, int K, int N)> Shapes { get; } =
    [
        (256, 512, 256),
        (256, 256, 256),
        (100, 1568, 128),
        (16, 150, 10000),
        (6, 25, 78400),
    ];

    /// <summary>Measures every shape with each kernel, checking that they agree bit for bit.</summary>
    /// <param name="args">Unused.</param>
    /// <returns>The process exit code: 0, or 1 when the kernels disagree.</returns>
    public static int Run(string[] args)
    {
        _ = args;
        var kernels = new (string Name, RingGemm Run)[]
        {
            ("row-update", (m, n, k, a, b, c) => Gemm.MultiplyRowUpdate(false, false, m, n, k, a, k, b, n, c, n, false)),
            ("blocked 8x16", (m, n, k, a, b, c) => Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n)),
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ring GEMM, GMAC/s, best of 5; {Environment.ProcessorCount} cores; load average {LoadAverage()}"));
        Console.WriteLine($"{"shape (m x k x n)",-20}" + string.Concat(kernels.Select(x => $"{x.Name,14}")) + $"{"speed-up",10}");
        var random = new Random(7);
        var agree = true;
        foreach (var (m, k, n) in Shapes)
        {
            var a = Fill(random, m * k);
            var b = Fill(random, k * n);
            var outputs = kernels.Select(_ => new ulong[m * n]).ToArray();
            var rates = new double[kernels.Length];

            // Rounds alternate between the kernels, so a burst of load from other processes hits both alike.
            for (var round = 0; round <= Rounds; round++)
            {
                for (var x = 0; x < kernels.Length; x++)
                {
                    var run = kernels[x].Run;
                    var c = outputs[x];
                    var rate = Measure(m, n, k, () => run(m, n, k, a, b, c));
                    rates[x] = round == 0 ? 0 : Math.Max(rates[x], rate);
                }
            }

            agree &= outputs.All(c => outputs[0].AsSpan().SequenceEqual(c));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{$"{m}x{k}x{n}",-20}{string.Concat(rates.Select(r => $"{r,14:F2}"))}{rates[1] / rates[0],9:F1}x"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"results identical: {agree}; load average {LoadAverage()}"));
        return agree ? 0 : 1;
    }

    /// <summary>One timed round of at least 100 ms (the first round of each shape is a warm-up), in GMAC/s.</summary>
    private static double Measure(int m, int n, int k, Action run)
    {
        var calls = 0;
        var watch = Stopwatch.StartNew();
        do
        {
            run();
            calls++;
        }
        while (watch.Elapsed.TotalMilliseconds < 100);
        return (double)m * n * k * calls / watch.Elapsed.TotalSeconds / 1e9;
    }

    private static ulong[] Fill(Random random, int count)
    {
        var values = new ulong[count];
        random.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
