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

    private static void Check(int x, int y, int destination)
    {
        if (x != y || x != destination)
        {
            throw new ArgumentException($"Operand lengths differ: {x}, {y} and destination {destination}.", nameof(destination));
        }
    }
}
