using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Tessera;

/// <summary>
/// An n-dimensional array with a dtype, a shape, strides into a shared storage buffer, and optional gradient tracking.
/// </summary>
/// <remarks>
/// Reshape, transpose, permute, slicing, narrow, squeeze/unsqueeze and expand return views that share storage.
/// Operations allocate new storage. A tensor is not thread-safe for concurrent writes; concurrent reads are safe.
/// </remarks>
public sealed partial class Tensor
{
    private readonly int[] _shape;
    private readonly int[] _strides;

    internal Tensor(Array storage, DType dtype, int[] shape, int[] strides, int offset)
    {
        Storage = storage;
        DType = dtype;
        _shape = shape;
        _strides = strides;
        Offset = offset;
        Count = ShapeHelpers.CountOf(shape);
        IsContiguous = ShapeHelpers.IsContiguous(shape, strides);
    }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The size of each dimension.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of elements to step in storage per unit step of each dimension.</summary>
    public ReadOnlySpan<int> Strides => _strides;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements.</summary>
    public int Count { get; }

    /// <summary>Whether the elements are laid out densely in row-major order from <see cref="Offset"/>.</summary>
    public bool IsContiguous { get; }

    /// <summary>The position of the first element in the storage buffer.</summary>
    internal int Offset { get; }

    /// <summary>The storage buffer: a <c>float[]</c>, <c>double[]</c>, <c>long[]</c>, <c>ulong[]</c> or <c>bool[]</c>.</summary>
    internal Array Storage { get; }

    internal int[] ShapeArray => _shape;

    internal int[] StrideArray => _strides;

    /// <summary>Whether the dtype is floating point (and so can take part in autograd).</summary>
    public bool IsFloatingPoint => DType is DType.Float32 or DType.Float64;

    /// <summary>The size of dimension <paramref name="dim"/>; negative values count from the end.</summary>
    /// <param name="dim">The dimension.</param>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is outside the tensor's rank.</exception>
    public int Size(int dim) => _shape[ShapeHelpers.NormalizeDim(dim, Rank)];

    /// <summary>The shape as a new array.</summary>
    public int[] ShapeToArray() => (int[])_shape.Clone();

    /// <summary>The elements as a span; the tensor must be contiguous and of element type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The element type matching <see cref="DType"/>.</typeparam>
    /// <exception cref="InvalidOperationException">The tensor is not contiguous.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match the dtype.</exception>
    public Span<T> AsSpan<T>()
        where T : unmanaged
    {
        CheckElementType<T>();
        if (!IsContiguous)
        {
            throw new InvalidOperationException(
                $"AsSpan needs a contiguous tensor; this one has shape {ShapeHelpers.Format(_shape)} and strides "
                + $"{ShapeHelpers.Format(_strides)}. Call Contiguous() first.");
        }

        return MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference((T[])Storage), ((T[])Storage).Length)
            .Slice(Offset, Count);
    }

    /// <summary>Copies the elements in row-major order into a new array.</summary>
    /// <typeparam name="T">The element type matching <see cref="DType"/>.</typeparam>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match the dtype.</exception>
    public T[] ToArray<T>()
        where T : unmanaged
    {
        CheckElementType<T>();
        return Contiguous().AsSpan<T>().ToArray();
    }

    /// <summary>The single element of a one-element tensor, converted to double.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more than one element.</exception>
    public double Item()
    {
        if (Count != 1)
        {
            throw new InvalidOperationException($"Item() needs a tensor with one element; this one has shape {ShapeHelpers.Format(_shape)}.");
        }

        return DType switch
        {
            DType.Float32 => ((float[])Storage)[Offset],
            DType.Float64 => ((double[])Storage)[Offset],
            DType.Int64 => ((long[])Storage)[Offset],
            DType.UInt64 => ((ulong[])Storage)[Offset],
            _ => ((bool[])Storage)[Offset] ? 1.0 : 0.0,
        };
    }

    /// <summary>A contiguous tensor with the same values: this tensor when it already is, otherwise a copy.</summary>
    public Tensor Contiguous() => IsContiguous ? this : Clone();

    /// <inheritdoc/>
    public override string ToString() => $"Tensor({DType}, {ShapeHelpers.Format(_shape)})";

    internal void CheckElementType<T>()
        where T : unmanaged
    {
        if (DTypes.Of<T>() != DType)
        {
            ThrowElementTypeMismatch(typeof(T), DType);
        }
    }

    [DoesNotReturn]
    private static void ThrowElementTypeMismatch(Type type, DType dtype) =>
        throw new ArgumentException($"Element type {type.Name} does not match the tensor's dtype {dtype}.");
}
