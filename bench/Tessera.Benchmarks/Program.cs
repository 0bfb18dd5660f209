using BenchmarkDotNet.Running;
using Tessera.Benchmarks;

// `gemm ...` is the GEMM throughput bench; `ringgemm` compares the ring GEMM kernels; `dpsgd ...` times a DP-SGD epoch against a non-private one; `bdn ...` hands the rest of the arguments to BenchmarkDotNet (the
// [Benchmark] classes of this assembly); anything else is the side-by-side Tessera / PyTorch runner.
if (args.Length > 0 && args[0] == "gemm")
{
    return GemmBench.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "ringgemm")
{
    return RingGemmBench.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "dpsgd")
{
    return DpSgdBench.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(SideBySideRunner).Assembly).Run(args[1..]);
    return 0;
}

return SideBySideRunner.Run(args);
