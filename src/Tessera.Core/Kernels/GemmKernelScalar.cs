using System.Numerics;

namespace Tessera.Kernels;

/// <summary>The portable micro-kernel for CPUs without 256-bit SIMD: a 4 x 4 tile of scalar accumulators.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct GemmKernelScalar<T> : IGemmMicroKernel<T>
    where T : unmanaged, INumberBase<T>
{
    private const int Size = 4;

    /// <inheritdoc/>
    public static int Mr => Size;

    /// <inheritdoc/>
    public static int Nr => Size;

    /// <inheritdoc/>
    public static int Kc => 256;

    /// <inheritdoc/>
    public static int Mc => 64;

    /// <inheritdoc/>
    public static unsafe void Run(nint kc, T* a, T* b, T* c, nint ldc, bool accumulate)
    {
        var t = stackalloc T[Size * Size];
        for (var i = 0; i < Size * Size; i++)
        {
            t[i] = T.Zero;
        }

        for (nint p = 0; p < kc; p++)
        {
            for (var r = 0; r < Size; r++)
            {
                var x = a[r];
                var row = t + (r * Size);
                row[0] += x * b[0];
                row[1] += x * b[1];
                row[2] += x * b[2];
                row[3] += x * b[3];
            }

            a += Size;
            b += Size;
        }

        for (var r = 0; r < Size; r++)
        {
            for (var j = 0; j < Size; j++)
            {
                c[(r * ldc) + j] = accumulate ? c[(r * ldc) + j] + t[(r * Size) + j] : t[(r * Size) + j];
            }
        }
    }
}
