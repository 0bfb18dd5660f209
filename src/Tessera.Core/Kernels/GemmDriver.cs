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
    /// <summary>
    /// Multiply-adds below which one thread does the whole product: waking a pool thread costs tens of microseconds,
    /// which only pays once each thread has about that much work.
    /// </summary>
    private const long MinWorkPerThread = 1L << 21;

    /// <summary>Multiply-adds per tile of C below which a product is not cut into more tiles than threads.</summary>
    private const long MinWorkPerTile = 1L << 23;

    /// <summary>The most tiles per thread: more balance the load better but repack more of A and B.</summary>
    private const int TilesPerThread = 2;

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
        var unitsM = (args.M + TKernel.Mr - 1) / TKernel.Mr;
        var unitsN = (args.N + TKernel.Nr - 1) / TKernel.Nr;
        threads = Math.Min(threads, Math.Max(unitsM, unitsN));
        if (threads <= 1)
        {
            Block<T, TKernel>(args, 0, args.M, 0, args.N);
            return;
        }

        // Split C into tiles claimed one at a time: a thread that starts late, or a core that another process is
        // using, then simply takes fewer tiles instead of holding everyone up. Each tile repacks its share of A and
        // B, so big products get a few tiles per thread and products near the threshold one each.
        var target = (int)Math.Clamp(work / MinWorkPerTile, threads, TilesPerThread * threads);
        var tilesM = 1;
        var tilesN = 1;
        while (tilesM * tilesN < target)
        {
            var rows = unitsM / tilesM;
            var cols = unitsN / tilesN;
            var canSplitM = unitsM >= 2 * tilesM;
            var canSplitN = unitsN >= 2 * tilesN;
            if (canSplitM && (!canSplitN || rows * TKernel.Mr >= cols * TKernel.Nr))
            {
                tilesM *= 2;
            }
            else if (canSplitN)
            {
                tilesN *= 2;
            }
            else
            {
                break;
            }
        }

        var scheduler = new TileScheduler<T>(args, tilesM, tilesN, TKernel.Mr, TKernel.Nr);
        threads = Math.Min(threads, tilesM * tilesN);
        Parallel.For(0, threads, _ => scheduler.Drain<TKernel>());
    }

    /// <summary>Hands out disjoint tiles of C to whichever thread asks next.</summary>
    private sealed class TileScheduler<T>(GemmArguments<T> args, int tilesM, int tilesN, int mr, int nr)
        where T : unmanaged, INumberBase<T>
    {
        private readonly GemmArguments<T> _args = args;
        private readonly int _rowsPerTile = RoundUp((args.M + tilesM - 1) / tilesM, mr);
        private readonly int _colsPerTile = RoundUp((args.N + tilesN - 1) / tilesN, nr);
        private int _next = -1;

        /// <summary>Computes tiles until none is left.</summary>
        public void Drain<TKernel>()
            where TKernel : struct, IGemmMicroKernel<T>
        {
            int tile;
            while ((tile = Interlocked.Increment(ref _next)) < tilesM * tilesN)
            {
                var i0 = tile / tilesN * _rowsPerTile;
                var j0 = tile % tilesN * _colsPerTile;
                var i1 = Math.Min(_args.M, i0 + _rowsPerTile);
                var j1 = Math.Min(_args.N, j0 + _colsPerTile);
                if (i0 < i1 && j0 < j1)
                {
                    Block<T, TKernel>(_args, i0, i1, j0, j1);
                }
            }
        }
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
        var ncMax = Math.Min(TKernel.Nc / nr * nr, RoundUp(j1 - j0, nr));
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
