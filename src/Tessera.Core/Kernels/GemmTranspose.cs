using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Kernels;

/// <summary>
/// 8 x 8 single-precision block transposes for the packing routines: packing a row-major A (or a transposed B) turns
/// rows of the source into columns of the packed panel, which element by element costs a scalar load and store each.
/// </summary>
internal static unsafe class GemmTranspose
{
    /// <summary>The block edge.</summary>
    public const int Size = 8;

    /// <summary>Whether <see cref="Transpose8x8"/> can run on this CPU.</summary>
    public static bool IsSupported => Avx.IsSupported;

    /// <summary>Writes dst[p * ldd + r] = src[r * lds + p] for r, p in 0..8.</summary>
    /// <param name="src">The first source row.</param>
    /// <param name="lds">The source row stride in elements.</param>
    /// <param name="dst">The first destination row.</param>
    /// <param name="ldd">The destination row stride in elements.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose8x8(float* src, nint lds, float* dst, nint ldd)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + lds);
        var r2 = Avx.LoadVector256(src + (2 * lds));
        var r3 = Avx.LoadVector256(src + (3 * lds));
        var r4 = Avx.LoadVector256(src + (4 * lds));
        var r5 = Avx.LoadVector256(src + (5 * lds));
        var r6 = Avx.LoadVector256(src + (6 * lds));
        var r7 = Avx.LoadVector256(src + (7 * lds));

        // Interleave row pairs, then row quads (within 128-bit lanes), then swap lanes.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + (2 * ldd), Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + (3 * ldd), Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + (4 * ldd), Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + (5 * ldd), Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + (6 * ldd), Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + (7 * ldd), Avx.Permute2x128(s3, s7, 0x31));
    }
}
