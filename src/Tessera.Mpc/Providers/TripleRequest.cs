namespace Tessera.Mpc.Providers;

/// <summary>
/// What Beaver triple a protocol needs: the kind of product and the shapes of a, b and c. Shapes are public (they are part
/// of the computation everyone runs), never values. New kinds (conv2d) add a <see cref="TripleKind"/> and a factory here.
/// </summary>
public sealed record TripleRequest
{
    private TripleRequest(TripleKind kind, int[] shapeA, int[] shapeB, int[] shapeC)
    {
        Kind = kind;
        ShapeA = shapeA;
        ShapeB = shapeB;
        ShapeC = shapeC;
    }

    /// <summary>The product.</summary>
    public TripleKind Kind { get; }

    /// <summary>The shape of a.</summary>
    public IReadOnlyList<int> ShapeA { get; }

    /// <summary>The shape of b.</summary>
    public IReadOnlyList<int> ShapeB { get; }

    /// <summary>The shape of c.</summary>
    public IReadOnlyList<int> ShapeC { get; }

    /// <summary>Elements in a.</summary>
    public int CountA => Product(ShapeA);

    /// <summary>Elements in b.</summary>
    public int CountB => Product(ShapeB);

    /// <summary>Elements in c.</summary>
    public int CountC => Product(ShapeC);

    /// <summary>A triple for the elementwise product of <paramref name="count"/> elements.</summary>
    /// <param name="count">Elements; not negative.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static TripleRequest Elementwise(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new TripleRequest(TripleKind.Elementwise, [count], [count], [count]);
    }

    /// <summary>A triple for the product of an <paramref name="m"/> x <paramref name="k"/> by a <paramref name="k"/> x <paramref name="n"/> matrix.</summary>
    /// <param name="m">Rows of a.</param>
    /// <param name="k">Columns of a, rows of b.</param>
    /// <param name="n">Columns of b.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public static TripleRequest MatMul(int m, int k, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        return new TripleRequest(TripleKind.MatMul, [m, k], [k, n], [m, n]);
    }

    private static int Product(IReadOnlyList<int> shape)
    {
        var count = 1L;
        foreach (var d in shape)
        {
            count *= d;
        }

        return checked((int)count);
    }
}
