namespace Tessera.Mpc.Providers;

/// <summary>
/// What Beaver triple a protocol needs: the kind of product and the shapes of a, b and c. Shapes are public (they are part
/// of the computation everyone runs), never values. New kinds (conv2d) add a <see cref="TripleKind"/> and a factory here.
/// </summary>
public sealed record TripleRequest
{
    private TripleRequest(TripleKind kind, int[] shapeA, int[] shapeB, int[] shapeC, int stride = 0, int padding = 0)
    {
        Kind = kind;
        ShapeA = shapeA;
        ShapeB = shapeB;
        ShapeC = shapeC;
        Stride = stride;
        Padding = padding;
    }

    /// <summary>The product.</summary>
    public TripleKind Kind { get; }

    /// <summary>The shape of a.</summary>
    public IReadOnlyList<int> ShapeA { get; }

    /// <summary>The shape of b.</summary>
    public IReadOnlyList<int> ShapeB { get; }

    /// <summary>The shape of c.</summary>
    public IReadOnlyList<int> ShapeC { get; }

    /// <summary>The convolution's stride (<see cref="TripleKind.Conv2d"/> only; 0 otherwise).</summary>
    public int Stride { get; }

    /// <summary>The convolution's zero padding on every side (<see cref="TripleKind.Conv2d"/> only).</summary>
    public int Padding { get; }

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

    /// <summary>A square pair (a, a * a) of <paramref name="count"/> elements: b is empty.</summary>
    /// <param name="count">Elements; not negative.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static TripleRequest Square(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new TripleRequest(TripleKind.Square, [count], [0], [count]);
    }

    /// <summary>A triple for the convolution of images <paramref name="input"/> [N, C, H, W] with kernels <paramref name="weight"/> [O, C, kh, kw].</summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <param name="weight">[O, C, kh, kw].</param>
    /// <param name="stride">The step between windows; positive.</param>
    /// <param name="padding">Zeros on every side; not negative.</param>
    /// <returns>The request; c has shape [N, O, outH, outW].</returns>
    /// <exception cref="ArgumentException">The shapes do not describe a convolution.</exception>
    public static TripleRequest Conv2d(IReadOnlyList<int> input, IReadOnlyList<int> weight, int stride = 1, int padding = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        var g = Tensors.Conv2dGeometry.Of(input, weight, stride, padding);
        return new TripleRequest(
            TripleKind.Conv2d, [.. input], [.. weight], [g.Batch, g.OutChannels, g.OutHeight, g.OutWidth], stride, padding);
    }

    internal Tensors.Conv2dGeometry Geometry => Tensors.Conv2dGeometry.Of(ShapeA, ShapeB, Stride, Padding);

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
