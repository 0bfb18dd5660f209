using System.Numerics;
using System.Runtime.CompilerServices;

namespace Tessera.Kernels;

/// <summary>
/// Copies blocks of A and B into the layouts the micro-kernel reads: A as Mr-tall micro-panels (kc groups of Mr values),
/// B as Nr-wide micro-panels (kc groups of Nr values). Ragged edges are zero-padded, so the kernel always computes a
/// full tile and never reads past a panel.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs op(A)[ic..ic+mc, pc..pc+kc] into <paramref name="dst"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(bool transposed, T* a, nint lda, int ic, int pc, int mc, int kc, int mr, T* dst)
        where T : unmanaged, INumberBase<T>
    {
        for (var ir = 0; ir < mc; ir += mr)
        {
            var rows = Math.Min(mr, mc - ir);
            var panel = dst + ((nint)ir * kc);
            if (transposed)
            {
                // A is stored k x m: each depth step is a contiguous run of rows.
                var src = a + ((nint)pc * lda) + ic + ir;
                for (var p = 0; p < kc; p++)
                {
                    var s = src + (p * lda);
                    var d = panel + ((nint)p * mr);
                    var r = 0;
                    for (; r < rows; r++)
                    {
                        d[r] = s[r];
                    }

                    for (; r < mr; r++)
                    {
                        d[r] = T.Zero;
                    }
                }
            }
            else
            {
                // A is stored m x k: transpose 8 x 8 blocks where a whole panel of 8 rows is there, and walk the
                // rest of each row contiguously, scattering it with stride mr.
                var done = 0;
                if (typeof(T) == typeof(float) && mr == GemmTranspose.Size && rows == mr && GemmTranspose.IsSupported)
                {
                    var src = (float*)(a + ((ic + ir) * lda) + pc);
                    for (; done + GemmTranspose.Size <= kc; done += GemmTranspose.Size)
                    {
                        GemmTranspose.Transpose8x8(src + done, lda, (float*)panel + ((nint)done * mr), mr);
                    }
                }

                for (var r = 0; r < mr; r++)
                {
                    var d = panel + r;
                    if (r < rows)
                    {
                        var s = a + ((ic + ir + r) * lda) + pc;
                        for (var p = done; p < kc; p++)
                        {
                            d[(nint)p * mr] = s[p];
                        }
                    }
                    else
                    {
                        for (var p = 0; p < kc; p++)
                        {
                            d[(nint)p * mr] = T.Zero;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Packs op(B)[pc..pc+kc, jc..jc+nc] into <paramref name="dst"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(bool transposed, T* b, nint ldb, int pc, int jc, int kc, int nc, int nr, T* dst)
        where T : unmanaged, INumberBase<T>
    {
        for (var jr = 0; jr < nc; jr += nr)
        {
            var cols = Math.Min(nr, nc - jr);
            var panel = dst + ((nint)jr * kc);
            if (!transposed)
            {
                // B is stored k x n: each depth step is a contiguous run of columns.
                var src = b + ((nint)pc * ldb) + jc + jr;
                if (cols == nr)
                {
                    var bytes = (uint)(nr * sizeof(T));
                    for (var p = 0; p < kc; p++)
                    {
                        Unsafe.CopyBlockUnaligned(panel + ((nint)p * nr), src + (p * ldb), bytes);
                    }
                }
                else
                {
                    for (var p = 0; p < kc; p++)
                    {
                        var s = src + (p * ldb);
                        var d = panel + ((nint)p * nr);
                        var j = 0;
                        for (; j < cols; j++)
                        {
                            d[j] = s[j];
                        }

                        for (; j < nr; j++)
                        {
                            d[j] = T.Zero;
                        }
                    }
                }
            }
            else
            {
                // B is stored n x k: transpose 8 x 8 blocks of whole groups of 8 columns, and walk the rest of each
                // stored row (a column of op(B)) contiguously, scattering it with stride nr.
                var blocked = 0;
                var depth = 0;
                if (typeof(T) == typeof(float) && GemmTranspose.IsSupported && nr % GemmTranspose.Size == 0)
                {
                    blocked = cols / GemmTranspose.Size * GemmTranspose.Size;
                    depth = kc / GemmTranspose.Size * GemmTranspose.Size;
                    for (var j = 0; j < blocked; j += GemmTranspose.Size)
                    {
                        var src = (float*)(b + ((jc + jr + j) * ldb) + pc);
                        for (var p = 0; p < depth; p += GemmTranspose.Size)
                        {
                            GemmTranspose.Transpose8x8(src + p, ldb, (float*)panel + ((nint)p * nr) + j, nr);
                        }
                    }
                }

                for (var j = 0; j < nr; j++)
                {
                    var d = panel + j;
                    if (j < cols)
                    {
                        var s = b + ((jc + jr + j) * ldb) + pc;
                        for (var p = j < blocked ? depth : 0; p < kc; p++)
                        {
                            d[(nint)p * nr] = s[p];
                        }
                    }
                    else
                    {
                        for (var p = 0; p < kc; p++)
                        {
                            d[(nint)p * nr] = T.Zero;
                        }
                    }
                }
            }
        }
    }
}
