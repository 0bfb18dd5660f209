namespace Tessera.Kernels;

/// <summary>
/// A register-blocked GEMM micro-kernel: C[0..Mr, 0..Nr] (+)= A-panel x B-panel over <c>kc</c> steps, where the A panel
/// is packed as kc groups of Mr values and the B panel as kc groups of Nr values. The driver is generic over the kernel
/// struct, so the JIT compiles one specialised driver per kernel with these members folded to constants.
/// </summary>
/// <typeparam name="T">The element type (float or double).</typeparam>
internal interface IGemmMicroKernel<T>
    where T : unmanaged
{
    /// <summary>Rows of the register tile.</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of the register tile.</summary>
    static abstract int Nr { get; }

    /// <summary>Depth of a packed panel: the B micro-panel (Kc x Nr) should stay in L1 while A streams from L2.</summary>
    static abstract int Kc { get; }

    /// <summary>Rows of A packed at a time (a multiple of Mr); the packed block (Mc x Kc) should stay in L2.</summary>
    static abstract int Mc { get; }

    /// <summary>Columns of B packed at a time; the packed slab (Kc x Nc) should stay in L3, or in L2 when each packed
    /// panel is reused only a few times.</summary>
    static virtual int Nc => 4096;

    /// <summary>Computes one full Mr x Nr tile of C.</summary>
    static abstract unsafe void Run(nint kc, T* a, T* b, T* c, nint ldc, bool accumulate);
}
