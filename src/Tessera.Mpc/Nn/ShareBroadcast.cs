using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Nn;

/// <summary>Local broadcasting of shares (a linear map, so each party applies it to its own share).</summary>
internal static class ShareBroadcast
{
    /// <summary>Repeats a [C] tensor along every dimension of <paramref name="shape"/> except <paramref name="dim"/>.</summary>
    public static EncryptedTensor Expand(EncryptedTensor values, IReadOnlyList<int> shape, int dim)
    {
        var channels = shape[dim];
        if (values.Count != channels)
        {
            throw new ArgumentException(
                $"Cannot broadcast {values.Count} values along dimension {dim} of [{string.Join(", ", shape)}].", nameof(values));
        }

        var inner = 1;
        for (var d = dim + 1; d < shape.Count; d++)
        {
            inner *= shape[d];
        }

        var outer = 1;
        for (var d = 0; d < dim; d++)
        {
            outer *= shape[d];
        }

        var source = values.Shares.Share;
        var result = new ulong[outer * channels * inner];
        var o = 0;
        for (var a = 0; a < outer; a++)
        {
            for (var c = 0; c < channels; c++)
            {
                result.AsSpan(o, inner).Fill(source[c]);
                o += inner;
            }
        }

        return EncryptedTensor.FromShares(new SharedTensor(values.Session, result, [.. shape], values.FractionalBits));
    }
}
