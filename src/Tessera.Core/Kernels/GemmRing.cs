using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Kernels;

/// <summary>
/// GEMM in the ring Z_2^64: every product and sum wraps modulo 2^64, which is exactly what unchecked ulong arithmetic
/// does, so the result is bit-identical to the reference loop in any order of summation.
/// </summary>
/// <remarks>
/// With AVX-512DQ (vpmullq) the product runs through the same packed, register-blocked driver as float GEMM
/// (<see cref="GemmDriver"/> with <see cref="GemmKernelRing512"/>). AVX2 has no 64-bit multiply-low, so elsewhere a row
/// update runs instead: an i-k-j loop unrolled four deep over k on scalar multiplies, with B copied block by block into
/// a dense, L2-sized buffer (which also absorbs its transpose) so the inner loop streams it contiguously.
/// </remarks>
internal static unsafe class GemmRing
{
    private const int Kc = 128;
    private const int Nc = 512;
    private const long MinWorkPerThread = 1L << 20;

    /// <summary>Runs a validated ring GEMM, splitting it over cores when it is large enough to pay.</summary>
    public static void Run(in GemmArguments<ulong> args)
    {
        if (GemmKernelRing512.IsSupported)
        {
            GemmDriver.Run<ulong, GemmKernelRing512>(args);
            return;
        }

        RunRowUpdate(args);
    }

    /// <summary>
    /// The row-update ring GEMM (the path for CPUs without AVX-512DQ); tests and benchmarks call it directly to cover
    /// and compare it on any CPU.
    /// </summary>
    public static void RunRowUpdate(in GemmArguments<ulong> args)
    {
        if (args.M == 0 || args.N == 0)
        {
            return;
        }

        var work = (long)args.M * args.N * args.K;
        var threads = (int)Math.Min(Environment.ProcessorCount, work / MinWorkPerThread);
        var splitN = args.N > args.M;
        threads = Math.Min(threads, splitN ? args.N / 8 : args.M);
        if (threads <= 1)
        {
            Block(args, 0, args.M, 0, args.N);
            return;
        }

        var copy = args;
        Parallel.For(0, threads, t =>
        {
            if (splitN)
            {
                // Column ranges stay multiples of 8 so each thread's vector loop has no extra tails.
                var per = (((copy.N + threads - 1) / threads) + 7) & ~7;
                var j0 = Math.Min(copy.N, t * per);
                Block(copy, 0, copy.M, j0, Math.Min(copy.N, j0 + per));
            }
            else
            {
                var per = (copy.M + threads - 1) / threads;
                var i0 = Math.Min(copy.M, t * per);
                Block(copy, i0, Math.Min(copy.M, i0 + per), 0, copy.N);
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(in GemmArguments<ulong> args, int i0, int i1, int j0, int j1)
    {
        if (i0 >= i1 || j0 >= j1)
        {
            return;
        }

        var ldc = (nint)args.Ldc;
        if (!args.Accumulate)
        {
            for (var i = i0; i < i1; i++)
            {
                new Span<ulong>(args.C + (i * ldc) + j0, j1 - j0).Clear();
            }
        }

        if (args.K == 0)
        {
            return;
        }

        var kcMax = Math.Min(Kc, args.K);
        var ncMax = Math.Min(Nc, j1 - j0);
        var packed = GemmPackBuffers<ulong>.B(kcMax * ncMax);
        for (var jc = j0; jc < j1; jc += ncMax)
        {
            var nc = Math.Min(ncMax, j1 - jc);
            for (var pc = 0; pc < args.K; pc += kcMax)
            {
                var kc = Math.Min(kcMax, args.K - pc);
                PackB(args, pc, jc, kc, nc, packed);
                for (var i = i0; i < i1; i++)
                {
                    RowUpdate(args, i, pc, kc, nc, packed, args.C + (i * ldc) + jc);
                }
            }
        }
    }

    /// <summary>Copies op(B)[pc..pc+kc, jc..jc+nc] densely (row stride nc) into <paramref name="dst"/>.</summary>
    private static void PackB(in GemmArguments<ulong> args, int pc, int jc, int kc, int nc, ulong* dst)
    {
        var ldb = (nint)args.Ldb;
        if (!args.TransposeB)
        {
            for (var p = 0; p < kc; p++)
            {
                new ReadOnlySpan<ulong>(args.B + ((pc + p) * ldb) + jc, nc).CopyTo(new Span<ulong>(dst + ((nint)p * nc), nc));
            }

            return;
        }

        for (var j = 0; j < nc; j++)
        {
            var s = args.B + ((jc + j) * ldb) + pc;
            var d = dst + j;
            for (var p = 0; p < kc; p++)
            {
                d[(nint)p * nc] = s[p];
            }
        }
    }

    /// <summary>c[0..nc] += sum over p of A[i, pc + p] * packed[p, 0..nc], all modulo 2^64.</summary>
    private static void RowUpdate(in GemmArguments<ulong> args, int i, int pc, int kc, int nc, ulong* packed, ulong* c)
    {
        var lda = (nint)args.Lda;
        var strideA = args.TransposeA ? lda : 1;
        var a = args.TransposeA ? args.A + ((pc * lda) + i) : args.A + ((i * lda) + pc);
        var p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            var a0 = a[p * strideA];
            var a1 = a[(p + 1) * strideA];
            var a2 = a[(p + 2) * strideA];
            var a3 = a[(p + 3) * strideA];
            var b0 = packed + ((nint)p * nc);
            var b1 = b0 + nc;
            var b2 = b1 + nc;
            var b3 = b2 + nc;
            var j = 0;
            if (Vector512.IsHardwareAccelerated && Avx512DQ.IsSupported)
            {
                var v0 = Vector512.Create(a0);
                var v1 = Vector512.Create(a1);
                var v2 = Vector512.Create(a2);
                var v3 = Vector512.Create(a3);
                for (; j + 8 <= nc; j += 8)
                {
                    var sum = (v0 * Vector512.Load(b0 + j)) + (v1 * Vector512.Load(b1 + j))
                        + (v2 * Vector512.Load(b2 + j)) + (v3 * Vector512.Load(b3 + j));
                    Vector512.Store(Vector512.Load(c + j) + sum, c + j);
                }
            }

            for (; j < nc; j++)
            {
                c[j] += unchecked((a0 * b0[j]) + (a1 * b1[j]) + (a2 * b2[j]) + (a3 * b3[j]));
            }
        }

        for (; p < kc; p++)
        {
            var x = a[p * strideA];
            var row = packed + ((nint)p * nc);
            var j = 0;
            if (Vector512.IsHardwareAccelerated && Avx512DQ.IsSupported)
            {
                var v = Vector512.Create(x);
                for (; j + 8 <= nc; j += 8)
                {
                    Vector512.Store(Vector512.Load(c + j) + (v * Vector512.Load(row + j)), c + j);
                }
            }

            for (; j < nc; j++)
            {
                c[j] += unchecked(x * row[j]);
            }
        }
    }
}
