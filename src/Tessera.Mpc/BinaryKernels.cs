using System.Runtime.Intrinsics;

namespace Tessera.Mpc;

/// <summary>Elementwise XOR and AND of words (64 bits of XOR-shared values each), Vector512 with a scalar tail.</summary>
internal static class BinaryKernels
{
    public static void Xor(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> y, Span<ulong> destination)
    {
        Check(x.Length, y.Length, destination.Length);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                (Vector512.Create(x[i..]) ^ Vector512.Create(y[i..])).CopyTo(destination[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            destination[i] = x[i] ^ y[i];
        }
    }

    public static void And(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> y, Span<ulong> destination)
    {
        Check(x.Length, y.Length, destination.Length);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                (Vector512.Create(x[i..]) & Vector512.Create(y[i..])).CopyTo(destination[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            destination[i] = x[i] & y[i];
        }
    }

    /// <summary>The AND-triple combine: destination = c ^ (d &amp; b) ^ (e &amp; a) ^ (first ? d &amp; e : 0).</summary>
    public static void AndCombine(
        ReadOnlySpan<ulong> d, ReadOnlySpan<ulong> e, ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, ReadOnlySpan<ulong> c,
        bool first, Span<ulong> destination)
    {
        var n = destination.Length;
        if (d.Length != n || e.Length != n || a.Length != n || b.Length != n || c.Length != n)
        {
            throw new ArgumentException("AND combine operands differ in length.", nameof(destination));
        }

        var mask = first ? ulong.MaxValue : 0UL;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var m = Vector512.Create(mask);
            for (; i <= n - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                var dv = Vector512.Create(d[i..]);
                var ev = Vector512.Create(e[i..]);
                (Vector512.Create(c[i..]) ^ (dv & Vector512.Create(b[i..])) ^ (ev & Vector512.Create(a[i..])) ^ (dv & ev & m))
                    .CopyTo(destination[i..]);
            }
        }

        for (; i < n; i++)
        {
            destination[i] = c[i] ^ (d[i] & b[i]) ^ (e[i] & a[i]) ^ (d[i] & e[i] & mask);
        }
    }

    /// <summary>destination ^= x &amp; y (the dealer's AND-triple correction), one pass.</summary>
    public static void XorAnd(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> y, Span<ulong> destination)
    {
        Check(x.Length, y.Length, destination.Length);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                (Vector512.Create(destination[i..]) ^ (Vector512.Create(x[i..]) & Vector512.Create(y[i..]))).CopyTo(destination[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            destination[i] ^= x[i] & y[i];
        }
    }

    /// <summary>destination = x ^ (0 - r) elementwise (the dealer's edaBits correction), one pass.</summary>
    public static void XorNegated(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> r, Span<ulong> destination)
    {
        Check(x.Length, r.Length, destination.Length);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                (Vector512.Create(x[i..]) ^ (Vector512<ulong>.Zero - Vector512.Create(r[i..]))).CopyTo(destination[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            destination[i] = x[i] ^ unchecked(0UL - r[i]);
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
