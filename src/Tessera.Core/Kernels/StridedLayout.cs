namespace Tessera.Kernels;

/// <summary>
/// Walks up to three strided operands over one shape, merging dimensions that are contiguous in all of them so the
/// innermost run is as long as possible. Operations then work a run at a time with span kernels.
/// </summary>
internal readonly struct StridedLayout
{
    private readonly int[] _shape;
    private readonly int[][] _strides;

    public StridedLayout(ReadOnlySpan<int> shape, params int[][] strides)
    {
        // Coalesce: dims i and i+1 merge when, for every operand, stride[i] == stride[i+1] * shape[i+1].
        var dims = new List<int>();
        var st = new List<int>[strides.Length];
        for (var k = 0; k < strides.Length; k++)
        {
            st[k] = [];
        }

        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1)
            {
                continue;
            }

            var last = dims.Count - 1;
            var merge = last >= 0;
            for (var k = 0; merge && k < strides.Length; k++)
            {
                merge = st[k][last] == strides[k][i] * shape[i];
            }

            if (merge)
            {
                dims[last] *= shape[i];
                for (var k = 0; k < strides.Length; k++)
                {
                    st[k][last] = strides[k][i];
                }
            }
            else
            {
                dims.Add(shape[i]);
                for (var k = 0; k < strides.Length; k++)
                {
                    st[k].Add(strides[k][i]);
                }
            }
        }

        if (dims.Count == 0)
        {
            dims.Add(1);
            for (var k = 0; k < strides.Length; k++)
            {
                st[k].Add(1);
            }
        }

        _shape = [.. dims];
        _strides = new int[strides.Length][];
        for (var k = 0; k < strides.Length; k++)
        {
            _strides[k] = [.. st[k]];
        }

        InnerLength = _shape[^1];
        OuterCount = 1;
        for (var i = 0; i < _shape.Length - 1; i++)
        {
            OuterCount *= _shape[i];
        }
    }

    /// <summary>The length of each innermost run.</summary>
    public int InnerLength { get; }

    /// <summary>The number of innermost runs.</summary>
    public int OuterCount { get; }

    /// <summary>The stride of operand <paramref name="operand"/> along the innermost run.</summary>
    public int InnerStride(int operand) => _strides[operand][^1];

    /// <summary>The starting offsets of every run for each operand, relative to the operand's own offset.</summary>
    public void RunOffsets(int operand, Span<int> destination)
    {
        var rank = _shape.Length - 1;
        var strides = _strides[operand];
        Span<int> index = stackalloc int[Math.Max(rank, 1)];
        index.Clear();
        var offset = 0;
        for (var r = 0; r < OuterCount; r++)
        {
            destination[r] = offset;
            for (var d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                offset += strides[d];
                if (index[d] < _shape[d])
                {
                    break;
                }

                offset -= strides[d] * _shape[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>Broadcast strides of a tensor with shape <paramref name="shape"/> and strides <paramref name="strides"/> to <paramref name="target"/>.</summary>
    public static int[] BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, ReadOnlySpan<int> target)
    {
        var result = new int[target.Length];
        var lead = target.Length - shape.Length;
        for (var i = 0; i < shape.Length; i++)
        {
            result[lead + i] = shape[i] == 1 ? 0 : strides[i];
        }

        return result;
    }
}
