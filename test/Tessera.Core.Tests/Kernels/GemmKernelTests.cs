using Tessera.Kernels;

namespace Tessera.Core.Tests.Kernels;

/// <summary>
/// Runs every micro-kernel, not just the one the dispatcher picks, against the reference. Vector types fall back to
/// software on CPUs without them, so each kernel is checked for correctness everywhere.
/// </summary>
public class GemmKernelTests
{
    [Fact]
    public void MultiplyWith_ScalarKernel_MatchesReference()
    {
        Check<GemmKernelScalar<float>, GemmKernelScalar<double>>();
    }

    [Fact]
    public void MultiplyWith_Avx2Kernel_MatchesReference()
    {
        Check<GemmKernel256<float>, GemmKernel256<double>>();
    }

    [Fact]
    public void MultiplyWith_Avx512Kernel_MatchesReference()
    {
        Check<GemmKernel512<float>, GemmKernel512<double>>();
    }

    private static void Check<TFloat, TDouble>()
        where TFloat : struct, IGemmMicroKernel<float>
        where TDouble : struct, IGemmMicroKernel<double>
    {
        var random = new Random(7);
        (int M, int N, int K)[] shapes = [(0, 3, 2), (1, 1, 1), (5, 7, 3), (13, 33, 17), (29, 65, 300), (70, 40, 520), (130, 90, 40)];
        foreach (var (m, n, k) in shapes)
        {
            foreach (var ta in new[] { false, true })
            {
                foreach (var tb in new[] { false, true })
                {
                    var accumulate = ta != tb;
                    var pad = ta ? 3 : 0;
                    var (a, lda, b, ldb, c, ldc) = GemmCheck.Operands(m, n, k, ta, tb, pad, () => (float)((random.NextDouble() * 2) - 1));
                    var expected = (float[])c.Clone();
                    Gemm.Reference(ta, tb, m, n, k, a, lda, b, ldb, expected, ldc, accumulate);
                    Gemm.MultiplyWith<float, TFloat>(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                    GemmCheck.AssertClose(expected, c, k, 1e-6, $"{typeof(TFloat).Name} m={m} n={n} k={k} ta={ta} tb={tb}");

                    var (ad, ldad, bd, ldbd, cd, ldcd) = GemmCheck.Operands(m, n, k, ta, tb, pad, () => (random.NextDouble() * 2) - 1);
                    var expectedD = (double[])cd.Clone();
                    Gemm.Reference(ta, tb, m, n, k, ad, ldad, bd, ldbd, expectedD, ldcd, accumulate);
                    Gemm.MultiplyWith<double, TDouble>(ta, tb, m, n, k, ad, ldad, bd, ldbd, cd, ldcd, accumulate);
                    GemmCheck.AssertClose(expectedD, cd, k, 1e-15, $"{typeof(TDouble).Name} m={m} n={n} k={k} ta={ta} tb={tb}");
                }
            }
        }
    }
}
