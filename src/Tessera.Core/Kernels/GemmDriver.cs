using System.Numerics;
using System.Runtime.CompilerServices;

namespace Tessera.Kernels;

/// <summary>
/// The GotoBLAS/BLIS loop nest around a micro-kernel: for each Nc-wide slab of B and Kc-deep slice, pack B into Nr-wide
/// micro-panels; for each Mc-tall block of A, pack it into Mr-tall micro-panels; then sweep the micro-kernel over the
/// block. The packed B micro-panel stays in L1 across the inner loop while the packed A block streams from L2.
/// Transposes are absorbed by the packing, so the micro-kernel only ever sees one layout.
/// </summary>
internal static unsafe class GemmDriver
{
    /// <summary>Columns of B packed at a time; the packed slab (Kc x Nc) should stay in L3.</summary>
    private const int Nc = 4096;

    /// <summary>
    /// Multiply-adds below which one thread does the whole product: waking a pool thread costs tens of microseconds,
    /// which only pays once each thread has about that much work.
    /// </summary>
    private const long MinWorkPerThread = 1L << 21;

    /// <summary>Runs a validated GEMM on raw pointers, splitting it over cores when it is large enough to pay.</summary>
    public static void Run<T, TKernel>(in GemmArguments<T> args)
        where T : unmanaged, INumberBase<T>
        where TKernel : struct, IGemmMicroKernel<T>
    {
        if (args.M == 0 || args.N == 0)
        {
            return;
        }

        if (args.K == 0)
        {
            if (!args.Accumulate)
            {
                for (nint i = 0; i < args.M; i++)
                {
                    new Span<T>(args.C + (i * args.Ldc), args.N).Clear();
                }
            }

            return;
        }

        var work = (long)args.M * args.N * args.K;
        var threads = (int)Math.Min(Environment.ProcessorCount, work / MinWorkPerThread);
        var splitN = args.N >= args.M || args.M < 2 * TKernel.Mr;
        var units = splitN ? (args.N + TKernel.Nr - 1) / TKernel.Nr : (args.M + TKernel.Mr - 1) / TKernel.Mr;
        threads = Math.Min(threads, units);
        if (threads <= 1)
        {
            Block<T, TKernel>(args, 0, args.M, 0, args.N);
            return;
        }

        var copy = args;
        var perThread = (units + threads - 1) / threads;
        Parallel.For(0, threads, t =>
        {
            if (splitN)
            {
                var j0 = t * perThread * TKernel.Nr;
                var j1 = Math.Min(copy.N, j0 + (perThread * TKernel.Nr));
                if (j0 < j1)
                {
                    Block<T, TKernel>(copy, 0, copy.M, j0, j1);
                }
            }
            else
            {
                var i0 = t * perThread * TKernel.Mr;
                var i1 = Math.Min(copy.M, i0 + (perThread * TKernel.Mr));
                if (i0 < i1)
                {
                    Block<T, TKernel>(copy, i0, i1, 0, copy.N);
                }
            }
        });
    }

    /// <summary>Computes C[i0..i1, j0..j1] on the calling thread with its own packing buffers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<T, TKernel>(in GemmArguments<T> args, int i0, int i1, int j0, int j1)
        where T : unmanaged, INumberBase<T>
        where TKernel : struct, IGemmMicroKernel<T>
    {
        var mr = TKernel.Mr;
        var nr = TKernel.Nr;
        var kcMax = Math.Min(TKernel.Kc, args.K);
        var mcMax = Math.Min(TKernel.Mc, RoundUp(i1 - i0, mr));
        var ncMax = Math.Min(Nc, RoundUp(j1 - j0, nr));
        var packA = GemmPackBuffers<T>.A(mcMax * kcMax);
        var packB = GemmPackBuffers<T>.B(ncMax * kcMax);
        var tile = stackalloc T[mr * nr];
        var ldc = (nint)args.Ldc;

        for (var jc = j0; jc < j1; jc += ncMax)
        {
            var nc = Math.Min(ncMax, j1 - jc);
            for (var pc = 0; pc < args.K; pc += kcMax)
            {
                var kc = Math.Min(kcMax, args.K - pc);
                GemmPacking.PackB<T>(args.TransposeB, args.B, args.Ldb, pc, jc, kc, nc, nr, packB);
                var accumulate = args.Accumulate || pc > 0;
                for (var ic = i0; ic < i1; ic += mcMax)
                {
                    var mc = Math.Min(mcMax, i1 - ic);
                    GemmPacking.PackA<T>(args.TransposeA, args.A, args.Lda, ic, pc, mc, kc, mr, packA);
                    for (var jr = 0; jr < nc; jr += nr)
                    {
                        var cols = Math.Min(nr, nc - jr);
                        var pb = packB + ((nint)jr * kc);
                        for (var ir = 0; ir < mc; ir += mr)
                        {
                            var rows = Math.Min(mr, mc - ir);
                            var pa = packA + ((nint)ir * kc);
                            var pc0 = args.C + ((ic + ir) * ldc) + jc + jr;
                            if (rows == mr && cols == nr)
                            {
                                TKernel.Run(kc, pa, pb, pc0, ldc, accumulate);
                            }
                            else
                            {
                                TKernel.Run(kc, pa, pb, tile, nr, false);
                                MergeTile(tile, nr, pc0, ldc, rows, cols, accumulate);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void MergeTile<T>(T* tile, int nr, T* c, nint ldc, int rows, int cols, bool accumulate)
        where T : unmanaged, INumberBase<T>
    {
        for (var r = 0; r < rows; r++)
        {
            var src = tile + (r * nr);
            var dst = c + (r * ldc);
            if (accumulate)
            {
                for (var j = 0; j < cols; j++)
                {
                    dst[j] += src[j];
                }
            }
            else
            {
                new ReadOnlySpan<T>(src, cols).CopyTo(new Span<T>(dst, cols));
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
