namespace Tessera.Kernels;

/// <summary>A validated GEMM problem on pinned memory, so it can be handed to worker threads.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal readonly unsafe struct GemmArguments<T>
    where T : unmanaged
{
    public GemmArguments(bool transposeA, bool transposeB, int m, int n, int k, T* a, int lda, T* b, int ldb, T* c, int ldc,
        bool accumulate)
    {
        TransposeA = transposeA;
        TransposeB = transposeB;
        M = m;
        N = n;
        K = k;
        A = a;
        Lda = lda;
        B = b;
        Ldb = ldb;
        C = c;
        Ldc = ldc;
        Accumulate = accumulate;
    }

    public bool TransposeA { get; }

    public bool TransposeB { get; }

    public int M { get; }

    public int N { get; }

    public int K { get; }

    public T* A { get; }

    public int Lda { get; }

    public T* B { get; }

    public int Ldb { get; }

    public T* C { get; }

    public int Ldc { get; }

    public bool Accumulate { get; }
}
