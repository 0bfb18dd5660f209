using Tessera.Mpc.Sharing;

namespace Tessera.Mpc;

/// <content>
/// Broadcasting: repeating size-1 dimensions, as <see cref="Tensor"/>'s Expand (local, copies the share). Its backward
/// sums the gradient over the repeated dimensions (local, exact).
/// </content>
public sealed partial class EncryptedTensor
{
    /// <summary>
    /// Repeats dimensions of size 1 to <paramref name="shape"/> (leading dimensions may be added; -1 keeps a size), e.g. a
    /// bias [1, O, 1, 1] to [N, O, H, W]; local and linear (each party repeats its own share), 0 rounds.
    /// </summary>
    /// <param name="shape">The target shape.</param>
    /// <returns>The expanded tensor (a copy of the share).</returns>
    /// <exception cref="ArgumentException">A dimension is neither 1 nor the target size, or the target has fewer dimensions.</exception>
    public EncryptedTensor Expand(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var offset = shape.Length - Rank;
        var target = (int[])shape.Clone();
        var fits = offset >= 0;
        for (var d = 0; fits && d < target.Length; d++)
        {
            var source = d < offset ? 1 : ShapeArray[d - offset];
            target[d] = target[d] == -1 && d >= offset ? source : target[d];
            fits = target[d] >= 0 && (source == target[d] || source == 1);
        }

        if (!fits)
        {
            throw new ArgumentException(
                $"Cannot expand [{string.Join(", ", ShapeArray)}] to [{string.Join(", ", shape)}]: each dimension must be 1 or equal.",
                nameof(shape));
        }

        var sourceShape = Enumerable.Repeat(1, offset).Concat(ShapeArray).ToArray();
        var strides = new int[target.Length];
        var stride = 1;
        for (var d = target.Length - 1; d >= 0; d--)
        {
            strides[d] = sourceShape[d] == 1 ? 0 : stride;
            stride *= sourceShape[d];
        }

        var count = target.Aggregate(1, (a, b) => a * b);
        var result = new ulong[count];
        var share = Shares.Share;
        ForEachSource(target, strides, (i, s) => result[i] = share[s]);
        var original = ShapeArray;
        return new EncryptedTensor(new SharedTensor(Session, result, target, FractionalBits)).Record(
            "expand",
            g =>
            {
                // The gradient of a repeated element is the sum of the gradients of its copies.
                var gradient = Materialize(g).Shares.Share;
                var sum = new ulong[share.Length];
                ForEachSource(target, strides, (i, s) => sum[s] = unchecked(sum[s] + gradient[i]));
                return [new EncryptedTensor(new SharedTensor(Session, sum, original, g.FractionalBits))];
            },
            this);
    }

    /// <summary>Calls <paramref name="action"/>(target index, source index) for every element of the expanded shape.</summary>
    private static void ForEachSource(int[] target, int[] strides, Action<int, int> action)
    {
        var count = target.Aggregate(1, (a, b) => a * b);
        var index = new int[target.Length];
        for (var i = 0; i < count; i++)
        {
            var s = 0;
            for (var d = 0; d < target.Length; d++)
            {
                s += index[d] * strides[d];
            }

            action(i, s);
            for (var d = target.Length - 1; d >= 0; d--)
            {
                if (++index[d] < target[d])
                {
                    break;
                }

                index[d] = 0;
            }
        }
    }
}
