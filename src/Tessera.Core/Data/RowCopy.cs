namespace Tessera.Data;

/// <summary>Copies runs of elements between contiguous tensors of the same dtype, as block copies.</summary>
internal static class RowCopy
{
    /// <summary>Copies <paramref name="length"/> elements from <paramref name="source"/> at <paramref name="sourceStart"/> into <paramref name="destination"/> at <paramref name="destinationStart"/>.</summary>
    public static void Copy(Tensor source, int sourceStart, Tensor destination, int destinationStart, int length)
    {
        switch (source.DType)
        {
            case DType.Float32: Copy<float>(source, sourceStart, destination, destinationStart, length); break;
            case DType.Float64: Copy<double>(source, sourceStart, destination, destinationStart, length); break;
            case DType.Int64: Copy<long>(source, sourceStart, destination, destinationStart, length); break;
            case DType.UInt64: Copy<ulong>(source, sourceStart, destination, destinationStart, length); break;
            default: Copy<bool>(source, sourceStart, destination, destinationStart, length); break;
        }
    }

    private static void Copy<T>(Tensor source, int sourceStart, Tensor destination, int destinationStart, int length)
        where T : unmanaged =>
        source.AsSpan<T>().Slice(sourceStart, length).CopyTo(destination.AsSpan<T>().Slice(destinationStart, length));
}
