using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Kernels;

/// <summary>
/// The AVX-512DQ ring micro-kernel: an 8 x 16 tile of C in 16 zmm accumulators, each k step broadcasting 8 A
/// values against two B vectors with vpmullq + vpaddq. Unchecked ulong arithmetic wraps modulo 2^64, so the tile is
/// bit-identical to the reference loop whatever the order of summation.
/// </summary>
internal readonly struct GemmKernelRing512 : IGemmMicroKernel<ulong>
{
    private const int RowCount = 8;
    private const int Width = 8;

    /// <summary>Gets a value indicating whether this CPU can run the kernel (64-bit multiply-low needs AVX-512DQ).</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512DQ.IsSupported;

    /// <inheritdoc/>
    public static int Mr => RowCount;

    /// <inheritdoc/>
    public static int Nr => 2 * Width;

    /// <inheritdoc/>
    public static int Kc => 128;

    /// <inheritdoc/>
    public static int Mc => 128;

    /// <summary>
    /// Gets the columns of B packed at a time: 512 x Kc ulongs is 512 KiB, which stays in L2. The ring products that
    /// matter (convolution triples) have few rows, so each packed panel is reused only a few times and a slab that
    /// spills to L3 roughly halved their throughput.
    /// </summary>
    public static int Nc => 512;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(nint kc, ulong* a, ulong* b, ulong* c, nint ldc, bool accumulate)
    {
        // Start fetching the C tile now; it is touched only after the k loop.
        if (Sse.IsSupported)
        {
            for (nint r = 0; r < RowCount; r++)
            {
                Sse.Prefetch0(c + (r * ldc));
                Sse.Prefetch0(c + (r * ldc) + Width);
            }
        }

        var c00 = Vector512<ulong>.Zero;
        var c01 = Vector512<ulong>.Zero;
        var c10 = Vector512<ulong>.Zero;
        var c11 = Vector512<ulong>.Zero;
        var c20 = Vector512<ulong>.Zero;
        var c21 = Vector512<ulong>.Zero;
        var c30 = Vector512<ulong>.Zero;
        var c31 = Vector512<ulong>.Zero;
        var c40 = Vector512<ulong>.Zero;
        var c41 = Vector512<ulong>.Zero;
        var c50 = Vector512<ulong>.Zero;
        var c51 = Vector512<ulong>.Zero;
        var c60 = Vector512<ulong>.Zero;
        var c61 = Vector512<ulong>.Zero;
        var c70 = Vector512<ulong>.Zero;
        var c71 = Vector512<ulong>.Zero;
        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + Width);
            var a0 = Vector512.Create(a[0]);
            c00 += a0 * b0;
            c01 += a0 * b1;
            var a1 = Vector512.Create(a[1]);
            c10 += a1 * b0;
            c11 += a1 * b1;
            var a2 = Vector512.Create(a[2]);
            c20 += a2 * b0;
            c21 += a2 * b1;
            var a3 = Vector512.Create(a[3]);
            c30 += a3 * b0;
            c31 += a3 * b1;
            var a4 = Vector512.Create(a[4]);
            c40 += a4 * b0;
            c41 += a4 * b1;
            var a5 = Vector512.Create(a[5]);
            c50 += a5 * b0;
            c51 += a5 * b1;
            var a6 = Vector512.Create(a[6]);
            c60 += a6 * b0;
            c61 += a6 * b1;
            var a7 = Vector512.Create(a[7]);
            c70 += a7 * b0;
            c71 += a7 * b1;
            a += RowCount;
            b += 2 * Width;
        }

        if (accumulate)
        {
            c00 += Vector512.Load(c + (0 * ldc));
            c01 += Vector512.Load(c + (0 * ldc) + Width);
            c10 += Vector512.Load(c + (1 * ldc));
            c11 += Vector512.Load(c + (1 * ldc) + Width);
            c20 += Vector512.Load(c + (2 * ldc));
            c21 += Vector512.Load(c + (2 * ldc) + Width);
            c30 += Vector512.Load(c + (3 * ldc));
            c31 += Vector512.Load(c + (3 * ldc) + Width);
            c40 += Vector512.Load(c + (4 * ldc));
            c41 += Vector512.Load(c + (4 * ldc) + Width);
            c50 += Vector512.Load(c + (5 * ldc));
            c51 += Vector512.Load(c + (5 * ldc) + Width);
            c60 += Vector512.Load(c + (6 * ldc));
            c61 += Vector512.Load(c + (6 * ldc) + Width);
            c70 += Vector512.Load(c + (7 * ldc));
            c71 += Vector512.Load(c + (7 * ldc) + Width);
        }

        Vector512.Store(c00, c + (0 * ldc));
        Vector512.Store(c01, c + (0 * ldc) + Width);
        Vector512.Store(c10, c + (1 * ldc));
        Vector512.Store(c11, c + (1 * ldc) + Width);
        Vector512.Store(c20, c + (2 * ldc));
        Vector512.Store(c21, c + (2 * ldc) + Width);
        Vector512.Store(c30, c + (3 * ldc));
        Vector512.Store(c31, c + (3 * ldc) + Width);
        Vector512.Store(c40, c + (4 * ldc));
        Vector512.Store(c41, c + (4 * ldc) + Width);
        Vector512.Store(c50, c + (5 * ldc));
        Vector512.Store(c51, c + (5 * ldc) + Width);
        Vector512.Store(c60, c + (6 * ldc));
        Vector512.Store(c61, c + (6 * ldc) + Width);
        Vector512.Store(c70, c + (7 * ldc));
        Vector512.Store(c71, c + (7 * ldc) + Width);
    }
}
