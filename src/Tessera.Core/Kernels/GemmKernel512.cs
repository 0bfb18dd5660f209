using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Kernels;

/// <summary>
/// The AVX-512 micro-kernel: a tile of (2 x Vector512) columns; the 32 zmm registers hold the accumulators,
/// two B vectors and one broadcast.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct GemmKernel512<T> : IGemmMicroKernel<T>
    where T : unmanaged
{
    private const int RowCount = 8;

    /// <inheritdoc/>
    public static int Mr => RowCount;

    /// <inheritdoc/>
    public static int Nr => 2 * Vector512<T>.Count;

    /// <inheritdoc/>
    public static int Kc => 256 * sizeof(float) / Unsafe.SizeOf<T>();

    /// <inheritdoc/>
    public static int Mc => 128;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(nint kc, T* a, T* b, T* c, nint ldc, bool accumulate)
    {
        var width = Vector512<T>.Count;

        // Start fetching the C tile now: it is read or written only after the k loop, and its rows are often a
        // power-of-two stride apart, so without this the loads at the end miss in a burst.
        if (Sse.IsSupported)
        {
            for (nint r = 0; r < RowCount; r++)
            {
                Sse.Prefetch0(c + (r * ldc));
                Sse.Prefetch0(c + (r * ldc) + width);
            }
        }

        var c00 = Vector512<T>.Zero;
        var c01 = Vector512<T>.Zero;
        var c10 = Vector512<T>.Zero;
        var c11 = Vector512<T>.Zero;
        var c20 = Vector512<T>.Zero;
        var c21 = Vector512<T>.Zero;
        var c30 = Vector512<T>.Zero;
        var c31 = Vector512<T>.Zero;
        var c40 = Vector512<T>.Zero;
        var c41 = Vector512<T>.Zero;
        var c50 = Vector512<T>.Zero;
        var c51 = Vector512<T>.Zero;
        var c60 = Vector512<T>.Zero;
        var c61 = Vector512<T>.Zero;
        var c70 = Vector512<T>.Zero;
        var c71 = Vector512<T>.Zero;
        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + width);
            var a0 = Vector512.Create(a[0]);
            c00 = GemmFma.MultiplyAdd(a0, b0, c00);
            c01 = GemmFma.MultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(a[1]);
            c10 = GemmFma.MultiplyAdd(a1, b0, c10);
            c11 = GemmFma.MultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(a[2]);
            c20 = GemmFma.MultiplyAdd(a2, b0, c20);
            c21 = GemmFma.MultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(a[3]);
            c30 = GemmFma.MultiplyAdd(a3, b0, c30);
            c31 = GemmFma.MultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(a[4]);
            c40 = GemmFma.MultiplyAdd(a4, b0, c40);
            c41 = GemmFma.MultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(a[5]);
            c50 = GemmFma.MultiplyAdd(a5, b0, c50);
            c51 = GemmFma.MultiplyAdd(a5, b1, c51);
            var a6 = Vector512.Create(a[6]);
            c60 = GemmFma.MultiplyAdd(a6, b0, c60);
            c61 = GemmFma.MultiplyAdd(a6, b1, c61);
            var a7 = Vector512.Create(a[7]);
            c70 = GemmFma.MultiplyAdd(a7, b0, c70);
            c71 = GemmFma.MultiplyAdd(a7, b1, c71);
            a += RowCount;
            b += 2 * width;
        }

        if (accumulate)
        {
            c00 += Vector512.Load(c + (0 * ldc));
            c01 += Vector512.Load(c + (0 * ldc) + width);
            c10 += Vector512.Load(c + (1 * ldc));
            c11 += Vector512.Load(c + (1 * ldc) + width);
            c20 += Vector512.Load(c + (2 * ldc));
            c21 += Vector512.Load(c + (2 * ldc) + width);
            c30 += Vector512.Load(c + (3 * ldc));
            c31 += Vector512.Load(c + (3 * ldc) + width);
            c40 += Vector512.Load(c + (4 * ldc));
            c41 += Vector512.Load(c + (4 * ldc) + width);
            c50 += Vector512.Load(c + (5 * ldc));
            c51 += Vector512.Load(c + (5 * ldc) + width);
            c60 += Vector512.Load(c + (6 * ldc));
            c61 += Vector512.Load(c + (6 * ldc) + width);
            c70 += Vector512.Load(c + (7 * ldc));
            c71 += Vector512.Load(c + (7 * ldc) + width);
        }

        Vector512.Store(c00, c + (0 * ldc));
        Vector512.Store(c01, c + (0 * ldc) + width);
        Vector512.Store(c10, c + (1 * ldc));
        Vector512.Store(c11, c + (1 * ldc) + width);
        Vector512.Store(c20, c + (2 * ldc));
        Vector512.Store(c21, c + (2 * ldc) + width);
        Vector512.Store(c30, c + (3 * ldc));
        Vector512.Store(c31, c + (3 * ldc) + width);
        Vector512.Store(c40, c + (4 * ldc));
        Vector512.Store(c41, c + (4 * ldc) + width);
        Vector512.Store(c50, c + (5 * ldc));
        Vector512.Store(c51, c + (5 * ldc) + width);
        Vector512.Store(c60, c + (6 * ldc));
        Vector512.Store(c61, c + (6 * ldc) + width);
        Vector512.Store(c70, c + (7 * ldc));
        Vector512.Store(c71, c + (7 * ldc) + width);
    }
}
