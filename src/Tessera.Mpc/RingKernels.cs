using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tessera.Mpc;

/// <summary>
/// Elementwise kernels over Z_2^64: ulong arithmetic wraps, which is exactly reduction mod 2^64. Vector512 paths (the
/// 64-bit multiply-low needs AVX-512DQ to be fast) with a scalar tail.
/// </summary>
internal static class RingKernels
{
    public static void Add(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> y, Span<ulong> destination)
    {
        Check(x.Length, y.Length, destination.Length);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                (Vector512.Create(x[i..]) + Vector512.Create(y[i..])).CopyTo(destination[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            destination[i] = unchecked(x[i] + y[i]);
        }
    }

    public static void Subtract(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> y, Span<ulong> destination)
    {
        Check(x.Length, y.Length, destination.Length);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                (Vector512.Create(x[i..]) - Vector512.Create(y[i..])).CopyTo(destination[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            destination[i] = unchecked(x[i] - y[i]);
        }
    }

    public static void Multiply(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> y, Span<ulong> destination)
    {
        Check(x.Length, y.Length, destination.Length);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                (Vector512.Create(x[i..]) * Vector512.Create(y[i..])).CopyTo(destination[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            destination[i] = unchecked(x[i] * y[i]);
        }
    }

    /// <summary>destination = x * y - z elementwise in the ring (the dealer's correction c - sum of c_i), one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplySubtract(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> y, ReadOnlySpan<ulong> z, Span<ulong> destination)
    {
        Check(x.Length, y.Length, destination.Length);
        Check(x.Length, z.Length, destination.Length);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                ((Vector512.Create(x[i..]) * Vector512.Create(y[i..])) - Vector512.Create(z[i..])).CopyTo(destination[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            destination[i] = unchecked((x[i] * y[i]) - z[i]);
        }
    }

    /// <summary>
    /// The dealer's truncation-pair corrections for r (the sum of every party's r_i) and the sums of the other parties'
    /// shares: shiftedCorrection = (r &gt;&gt; shift) - sumShifted, topBitCorrection = msb(r) - sumTopBit; one pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TruncationCorrection(
        ReadOnlySpan<ulong> r, ReadOnlySpan<ulong> sumShifted, ReadOnlySpan<ulong> sumTopBit, int shift,
        Span<ulong> shiftedCorrection, Span<ulong> topBitCorrection)
    {
        Check(r.Length, sumShifted.Length, shiftedCorrection.Length);
        Check(r.Length, sumTopBit.Length, topBitCorrection.Length);
        CheckShift(shift);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= r.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                var rv = Vector512.Create(r[i..]);
                (Vector512.ShiftRightLogical(rv, shift) - Vector512.Create(sumShifted[i..])).CopyTo(shiftedCorrection[i..]);
                (Vector512.ShiftRightLogical(rv, 63) - Vector512.Create(sumTopBit[i..])).CopyTo(topBitCorrection[i..]);
            }
        }

        for (; i < r.Length; i++)
        {
            shiftedCorrection[i] = unchecked((r[i] >> shift) - sumShifted[i]);
            topBitCorrection[i] = unchecked((r[i] >> 63) - sumTopBit[i]);
        }
    }

    /// <summary>
    /// The square half of a squaring truncation (see <c>Truncation.TruncateAndSquareAsync</c>), per element from the opened
    /// c: q = (c &gt;&gt; shift) - offset + addend, k = (1 - msb(c)) 2^(64 - shift), r' = k top - shifted, and
    /// square = 2 q r' + shiftedSquare - 2 k shiftedTop + k^2 top, plus q^2 on party 0 (<paramref name="first"/>),
    /// which also adds <paramref name="addend"/> to <paramref name="truncated"/> in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SquaringTruncationCombine(
        ReadOnlySpan<ulong> c, ReadOnlySpan<ulong> shifted, ReadOnlySpan<ulong> top, ReadOnlySpan<ulong> shiftedSquare,
        ReadOnlySpan<ulong> shiftedTop, int shift, ulong offset, ulong addend, bool first, Span<ulong> truncated, Span<ulong> square)
    {
        var n = square.Length;
        if (c.Length < n || shifted.Length != n || top.Length != n || shiftedSquare.Length != n || shiftedTop.Length != n || truncated.Length != n)
        {
            throw new ArgumentException("Squaring truncation operands differ in length.", nameof(square));
        }

        CheckShift(shift);
        var wrapShift = 64 - shift;
        var firstMask = first ? ulong.MaxValue : 0UL;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var offsetV = Vector512.Create(offset);
            var addendV = Vector512.Create(addend);
            var addOwn = Vector512.Create(addend & firstMask);
            var firstV = Vector512.Create(firstMask);
            for (; i <= n - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                var cv = Vector512.Create(c[i..]);
                var topV = Vector512.Create(top[i..]);
                var q = Vector512.ShiftRightLogical(cv, shift) - offsetV + addendV;
                var k = Vector512.ShiftLeft(Vector512.ShiftRightLogical(cv, 63) ^ Vector512<ulong>.One, wrapShift);
                var rPrime = (k * topV) - Vector512.Create(shifted[i..]);
                var own = (q * rPrime * 2) + Vector512.Create(shiftedSquare[i..]) - (k * Vector512.Create(shiftedTop[i..]) * 2) + (k * k * topV);
                (own + ((q * q) & firstV)).CopyTo(square[i..]);
                (Vector512.Create(truncated[i..]) + addOwn).CopyTo(truncated[i..]);
            }
        }

        for (; i < n; i++)
        {
            unchecked
            {
                var q = (c[i] >> shift) - offset + addend;
                var k = ((c[i] >> 63) ^ 1UL) << wrapShift;
                var rPrime = (k * top[i]) - shifted[i];
                var own = (2 * q * rPrime) + shiftedSquare[i] - (2 * k * shiftedTop[i]) + (k * k * top[i]);
                square[i] = own + ((q * q) & firstMask);
                truncated[i] += addend & firstMask;
            }
        }
    }

    /// <summary>
    /// The dealer's squaring-truncation corrections from r and the sums of the other parties' shares:
    /// (r &gt;&gt; shift) - sumShifted, (r &gt;&gt; shift)^2 - sumSquare, msb(r) - sumTop and (r &gt;&gt; shift) msb(r) - sumShiftedTop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SquaringTruncationCorrection(
        ReadOnlySpan<ulong> r, ReadOnlySpan<ulong> sumShifted, ReadOnlySpan<ulong> sumSquare, ReadOnlySpan<ulong> sumTop,
        ReadOnlySpan<ulong> sumShiftedTop, int shift, Span<ulong> shifted, Span<ulong> square, Span<ulong> top, Span<ulong> shiftedTop)
    {
        var n = r.Length;
        if (sumShifted.Length != n || sumSquare.Length != n || sumTop.Length != n || sumShiftedTop.Length != n
            || shifted.Length != n || square.Length != n || top.Length != n || shiftedTop.Length != n)
        {
            throw new ArgumentException("Squaring truncation corrections differ in length.", nameof(r));
        }

        CheckShift(shift);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                var rv = Vector512.Create(r[i..]);
                var s = Vector512.ShiftRightLogical(rv, shift);
                var t = Vector512.ShiftRightLogical(rv, 63);
                (s - Vector512.Create(sumShifted[i..])).CopyTo(shifted[i..]);
                ((s * s) - Vector512.Create(sumSquare[i..])).CopyTo(square[i..]);
                (t - Vector512.Create(sumTop[i..])).CopyTo(top[i..]);
                ((s * t) - Vector512.Create(sumShiftedTop[i..])).CopyTo(shiftedTop[i..]);
            }
        }

        for (; i < n; i++)
        {
            unchecked
            {
                var s = r[i] >> shift;
                var t = r[i] >> 63;
                shifted[i] = s - sumShifted[i];
                square[i] = (s * s) - sumSquare[i];
                top[i] = t - sumTop[i];
                shiftedTop[i] = (s * t) - sumShiftedTop[i];
            }
        }
    }

    /// <summary>The Beaver combine: destination = x * f + e * b + c, all elementwise in the ring.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BeaverCombine(
        ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> f, ReadOnlySpan<ulong> e, ReadOnlySpan<ulong> b, ReadOnlySpan<ulong> c,
        Span<ulong> destination)
    {
        var n = destination.Length;
        if (x.Length != n || f.Length != n || e.Length != n || b.Length != n || c.Length != n)
        {
            throw new ArgumentException("Beaver combine operands differ in length.", nameof(destination));
        }

        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var fr = ref MemoryMarshal.GetReference(f);
        ref var er = ref MemoryMarshal.GetReference(e);
        ref var br = ref MemoryMarshal.GetReference(b);
        ref var cr = ref MemoryMarshal.GetReference(c);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                var u = (uint)i;
                var value = (Vector512.LoadUnsafe(ref xr, u) * Vector512.LoadUnsafe(ref fr, u))
                    + (Vector512.LoadUnsafe(ref er, u) * Vector512.LoadUnsafe(ref br, u))
                    + Vector512.LoadUnsafe(ref cr, u);
                value.StoreUnsafe(ref dr, u);
            }
        }

        for (; i < n; i++)
        {
            destination[i] = unchecked((x[i] * f[i]) + (e[i] * b[i]) + c[i]);
        }
    }

    /// <summary>destination = x + y + constant, elementwise in the ring (one pass).</summary>
    public static void AddWithConstant(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> y, ulong constant, Span<ulong> destination)
    {
        Check(x.Length, y.Length, destination.Length);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var k = Vector512.Create(constant);
            for (; i <= x.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                (Vector512.Create(x[i..]) + Vector512.Create(y[i..]) + k).CopyTo(destination[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            destination[i] = unchecked(x[i] + y[i] + constant);
        }
    }

    /// <summary>
    /// The last step of truncation by <paramref name="shift"/> (1..62) for opened c: destination =
    /// (1 - msb(c)) topBit 2^(64 - shift) - shifted, plus (c &gt;&gt; shift) - <paramref name="offset"/> when
    /// <paramref name="isFirst"/>; one vectorised pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TruncationCombine(
        ReadOnlySpan<ulong> c, ReadOnlySpan<ulong> shifted, ReadOnlySpan<ulong> topBit, int shift, bool isFirst, ulong offset, Span<ulong> destination)
    {
        var n = destination.Length;
        if (c.Length != n || shifted.Length != n || topBit.Length != n)
        {
            throw new ArgumentException($"Truncation operands differ in length: {c.Length}, {shifted.Length}, {topBit.Length} and destination {n}.", nameof(destination));
        }

        CheckShift(shift);
        var wrapShift = 64 - shift;
        var firstMask = isFirst ? ulong.MaxValue : 0UL;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var one = Vector512<ulong>.One;
            var mask = Vector512.Create(firstMask);
            var off = Vector512.Create(offset & firstMask);
            ref var cr = ref MemoryMarshal.GetReference(c);
            ref var sr = ref MemoryMarshal.GetReference(shifted);
            ref var tr = ref MemoryMarshal.GetReference(topBit);
            ref var dr = ref MemoryMarshal.GetReference(destination);
            for (; i <= n - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                var u = (uint)i;
                var cv = Vector512.LoadUnsafe(ref cr, u);
                var noTop = Vector512.ShiftRightLogical(cv, 63) ^ one;
                var share = Vector512.ShiftLeft(noTop * Vector512.LoadUnsafe(ref tr, u), wrapShift) - Vector512.LoadUnsafe(ref sr, u);
                share += (Vector512.ShiftRightLogical(cv, shift) & mask) - off;
                share.StoreUnsafe(ref dr, u);
            }
        }

        for (; i < n; i++)
        {
            var noTopBit = (c[i] >> 63) ^ 1UL;
            var share = unchecked((noTopBit * topBit[i] << wrapShift) - shifted[i]);
            if (isFirst)
            {
                share = unchecked(share + (c[i] >> shift) - offset);
            }

            destination[i] = share;
        }
    }

    private static void Check(int x, int y, int destination)
    {
        if (x != y || x != destination)
        {
            throw new ArgumentException($"Operand lengths differ: {x}, {y} and destination {destination}.", nameof(destination));
        }
    }

    /// <summary>Truncation shifts are 1 to 62 bits.</summary>
    private static void CheckShift(int shift)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shift, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shift, 62);
    }
}
