namespace Tessera.Benchmarks;

/// <summary>The parts of the side-by-side benchmark, in the order they run; names match bench.py's --only.</summary>
internal enum BenchSection
{
    Gemm,
    Conv,
    Mlp,
    LeNet,
}
