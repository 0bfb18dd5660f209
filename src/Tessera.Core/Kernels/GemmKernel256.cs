using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tessera.Kernels;

/// <summary>
/// The AVX2 micro-kernel: a 6 x (2 x Vector256) tile, 12 accumulators plus two B vectors and one broadcast,
/// which fits the 16 ymm registers without spilling.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct GemmKernel256<T> : IGemmMicroKernel<T>
    where T : unmanaged
{
    private const int RowCount = 6;

    /// <inheritdoc/>
    public static int Mr => RowCount;

    /// <inheritdoc/>
    public static int Nr => 2 * Vector256<T>.Count;

    /// <inheritdoc/>
    public static int Kc => 256 * sizeof(float) / Unsafe.SizeOf<T>();

    /// <inheritdoc/>
    public static int Mc => 144;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(nint kc, T* a, T* b, T* c, nint ldc, bool accumulate)
    {
        var width = Vector256<T>.Count;
        var c00 = Vector256<T>.Zero;
        var c01 = Vector256<T>.Zero;
        var c10 = Vector256<T>.Zero;
        var c11 = Vector256<T>.Zero;
        var c20 = Vector256<T>.Zero;
        var c21 = Vector256<T>.Zero;
        var c30 = Vector256<T>.Zero;
        var c31 = Vector256<T>.Zero;
        var c40 = Vector256<T>.Zero;
        var c41 = Vector256<T>.Zero;
        var c50 = Vector256<T>.Zero;
        var c51 = Vector256<T>.Zero;
        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + width);
            var a0 = Vector256.Create(a[0]);
            c00 = GemmFma.MultiplyAdd(a0, b0, c00);
            c01 = GemmFma.MultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = GemmFma.MultiplyAdd(a1, b0, c10);
            c11 = GemmFma.MultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = GemmFma.MultiplyAdd(a2, b0, c20);
            c21 = GemmFma.MultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = GemmFma.MultiplyAdd(a3, b0, c30);
            c31 = GemmFma.MultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = GemmFma.MultiplyAdd(a4, b0, c40);
            c41 = GemmFma.MultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = GemmFma.MultiplyAdd(a5, b0, c50);
            c51 = GemmFma.MultiplyAdd(a5, b1, c51);
            a += RowCount;
            b += 2 * width;
        }

        if (accumulate)
        {
            c00 += Vector256.Load(c + (0 * ldc));
            c01 += Vector256.Load(c + (0 * ldc) + width);
            c10 += Vector256.Load(c + (1 * ldc));
            c11 += Vector256.Load(c + (1 * ldc) + width);
            c20 += Vector256.Load(c + (2 * ldc));
            c21 += Vector256.Load(c + (2 * ldc) + width);
            c30 += Vector256.Load(c + (3 * ldc));
            c31 += Vector256.Load(c + (3 * ldc) + width);
            c40 += Vector256.Load(c + (4 * ldc));
            c41 += Vector256.Load(c + (4 * ldc) + width);
            c50 += Vector256.Load(c + (5 * ldc));
            c51 += Vector256.Load(c + (5 * ldc) + width);
        }

        Vector256.Store(c00, c + (0 * ldc));
        Vector256.Store(c01, c + (0 * ldc) + width);
        Vector256.Store(c10, c + (1 * ldc));
        Vector256.Store(c11, c + (1 * ldc) + width);
        Vector256.Store(c20, c + (2 * ldc));
        Vector256.Store(c21, c + (2 * ldc) + width);
        Vector256.Store(c30, c + (3 * ldc));
        Vector256.Store(c31, c + (3 * ldc) + width);
        Vector256.Store(c40, c + (4 * ldc));
        Vector256.Store(c41, c + (4 * ldc) + width);
        Vector256.Store(c50, c + (5 * ldc));
        Vector256.Store(c51, c + (5 * ldc) + width);
    }
}
