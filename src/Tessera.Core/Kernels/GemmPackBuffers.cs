using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tessera.Kernels;

/// <summary>
/// Per-thread packing buffers for the blocked GEMM. They live on the pinned object heap, so the kernels can hold raw
/// pointers into them without <c>fixed</c>, and they only grow, so steady-state calls allocate nothing.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class GemmPackBuffers<T>
    where T : unmanaged
{
    // Cache-line alignment keeps every packed vector load inside one line.
    private const int AlignmentBytes = 64;

    [ThreadStatic]
    private static T[]? _a;

    [ThreadStatic]
    private static T[]? _b;

    /// <summary>The calling thread's A buffer with room for at least <paramref name="length"/> elements, 64-byte aligned.</summary>
    public static unsafe T* A(int length) => Get(ref _a, length);

    /// <summary>The calling thread's B buffer with room for at least <paramref name="length"/> elements, 64-byte aligned.</summary>
    public static unsafe T* B(int length) => Get(ref _b, length);

    private static unsafe T* Get(ref T[]? buffer, int length)
    {
        var pad = AlignmentBytes / Unsafe.SizeOf<T>();
        if (buffer is null || buffer.Length < length + pad)
        {
            buffer = GC.AllocateUninitializedArray<T>(length + pad, pinned: true);
        }

        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (T*)((address + (AlignmentBytes - 1)) & ~(nint)(AlignmentBytes - 1));
    }
}
