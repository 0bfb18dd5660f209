using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tessera.Mpc;

/// <summary>
/// Large arrays of exactly the length asked for, reused within this process. A protocol's transient material (received
/// messages, the provider's shares once combined, an untruncated product) is as large as its operands, and a fresh large
/// array is fresh memory: the runtime takes it from the OS a page at a time, and each page's first touch costs a fault and
/// a clear. Measured on the 2-core bench machine, faulting in 80 MB took 38-51 ms where writing the same memory again took
/// 2.5 ms; a 1e6-element product with its truncation drew about that much per party. Operations repeat at the same sizes,
/// so exact lengths find their match.
/// </summary>
/// <remarks>
/// <para>A rented array holds whatever its last user left, as <see cref="GC.AllocateUninitializedArray{T}(int, bool)"/>
/// may: the renter overwrites it. Arrays stay inside this process (this party's own memory), so secret material returned
/// here is never visible to another party.</para>
/// <para>Returning an array hands it over for good: the caller must hold the only reference. Returning one that is already
/// held here throws <see cref="InvalidOperationException"/>, so a double return cannot give one array to two renters.
/// Arrays below <see cref="MinimumBytes"/> are left to the allocator (the runtime reuses small memory well), and at most
/// <see cref="PerLength"/> arrays of a length and <see cref="MaximumBytes"/> in all are kept: past the total, the least
/// recently used other lengths make room; past a length's count, a returned array is dropped for the collector.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
internal static class RecycledArrays<T>
    where T : unmanaged
{
    /// <summary>Arrays smaller than this many bytes are neither kept nor looked for (below the large-object threshold).</summary>
    public const int MinimumBytes = 64 * 1024;

    /// <summary>At most this many arrays of one length are kept.</summary>
    public const int PerLength = 8;

    /// <summary>At most this many bytes are kept in all.</summary>
    public const long MaximumBytes = 256L * 1024 * 1024;

    /// <summary>Arrays of a length that was neither rented nor returned for this many milliseconds are dropped.</summary>
    public const int IdleMilliseconds = 250;

    private static readonly Lock Gate = new();

    /// <summary>
    /// Tests set this to overwrite every returned array (kept or not) with a fixed pattern, so that a result still in use
    /// after it was handed back reads as garbage instead of passing by luck.
    /// </summary>
    internal static bool PoisonReturned { get; set; }
    private static readonly Dictionary<int, Kept> Free = [];
    private static long _keptBytes;
    private static long _lastTrim;

    /// <summary>Bytes currently kept for reuse (for tests and diagnostics).</summary>
    public static long KeptBytes
    {
        get
        {
            lock (Gate)
            {
                return _keptBytes;
            }
        }
    }

    /// <summary>An array of exactly <paramref name="length"/> elements whose contents are unspecified.</summary>
    public static T[] Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if ((long)length * Unsafe.SizeOf<T>() >= MinimumBytes)
        {
            lock (Gate)
            {
                var now = Environment.TickCount64;
                TrimIdle(now);
                if (Free.TryGetValue(length, out var kept))
                {
                    kept.LastUsed = now;
                    if (kept.Arrays.TryPop(out var array))
                    {
                        _keptBytes -= (long)length * Unsafe.SizeOf<T>();
                        return array;
                    }
                }
            }
        }

        return GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>Hands every one of <paramref name="arrays"/> back (see <see cref="Return(T[])"/>).</summary>
    public static void Return(params ReadOnlySpan<T[]?> arrays)
    {
        foreach (var array in arrays)
        {
            Return(array);
        }
    }

    /// <summary>Hands <paramref name="array"/> back for reuse; the caller must hold its only reference. Null is ignored.</summary>
    /// <exception cref="InvalidOperationException">The array is already kept here (returned twice).</exception>
    public static void Return(T[]? array)
    {
        if (array is null)
        {
            return;
        }

        var bytes = (long)array.Length * Unsafe.SizeOf<T>();
        if (bytes < MinimumBytes)
        {
            Poison(array);
            return;
        }

        lock (Gate)
        {
            var now = Environment.TickCount64;
            TrimIdle(now);
            if (!Free.TryGetValue(array.Length, out var kept))
            {
                kept = new Kept();
                Free[array.Length] = kept;
            }

            foreach (var held in kept.Arrays)
            {
                if (ReferenceEquals(held, array))
                {
                    throw new InvalidOperationException($"An array of {array.Length} elements was returned twice.");
                }
            }

            Poison(array);
            kept.LastUsed = now;
            if (kept.Arrays.Count >= PerLength)
            {
                return;
            }

            MakeRoom(array.Length, bytes);
            if (_keptBytes + bytes > MaximumBytes)
            {
                return;
            }

            kept.Arrays.Push(array);
            _keptBytes += bytes;
        }
    }

    /// <summary>
    /// Drops whole lengths other than <paramref name="length"/>, least recently used first, until <paramref name="bytes"/>
    /// more fit under <see cref="MaximumBytes"/>. Without this, a workload that moves on to other sizes finds the cap
    /// taken by the old ones until they idle out, and every array it hands back meanwhile is dropped (in the bench, the
    /// first quarter second of each line after mul's 1e6-element arrays).
    /// </summary>
    private static void MakeRoom(int length, long bytes)
    {
        while (_keptBytes + bytes > MaximumBytes)
        {
            var oldest = -1;
            var oldestUse = long.MaxValue;
            foreach (var (other, kept) in Free)
            {
                if (other != length && kept.Arrays.Count > 0 && kept.LastUsed < oldestUse)
                {
                    (oldest, oldestUse) = (other, kept.LastUsed);
                }
            }

            if (oldest < 0)
            {
                return;
            }

            _keptBytes -= (long)Free[oldest].Arrays.Count * oldest * Unsafe.SizeOf<T>();
            Free.Remove(oldest);
        }
    }

    private static void Poison(T[] array)
    {
        if (PoisonReturned)
        {
            MemoryMarshal.AsBytes(array.AsSpan()).Fill(0xA5);
        }
    }

    /// <summary>
    /// Drops the arrays of lengths idle for <see cref="IdleMilliseconds"/> (checked at most every 50 ms). A workload that
    /// moves on to other sizes should not keep the old ones alive: besides their own memory, a large surviving heap makes
    /// the runtime collect less often, so every other allocation between collections is fresh memory again.
    /// </summary>
    private static void TrimIdle(long now)
    {
        if (now - _lastTrim < 50)
        {
            return;
        }

        _lastTrim = now;
        List<int>? idle = null;
        foreach (var (length, kept) in Free)
        {
            if (now - kept.LastUsed >= IdleMilliseconds)
            {
                (idle ??= []).Add(length);
                _keptBytes -= (long)kept.Arrays.Count * length * Unsafe.SizeOf<T>();
            }
        }

        foreach (var length in idle ?? [])
        {
            Free.Remove(length);
        }
    }

    private sealed class Kept
    {
        public Stack<T[]> Arrays { get; } = new(PerLength);

        public long LastUsed { get; set; }
    }
}
