using Tessera.Mpc.Protocols;
using Tessera.Mpc.Providers;
using Tessera.Mpc.Sharing;

namespace Tessera.Mpc;

/// <content>Pooling over [N, C, H, W] windows and argmax along the last dimension.</content>
public sealed partial class EncryptedTensor
{
    /// <summary>
    /// 2-D max pooling of [N, C, H, W] (windows that overlap the padding ignore it, as PyTorch's -inf padding does): each
    /// party gathers the k = kh kw window positions of its share (local), then a tree over the positions with every window
    /// and pair of a level in one call: per level one comparison b = [right &gt; left] (8 rounds) and one product
    /// left + b (right - left) with the 0/1 bit (1 round, no truncation): 9 ceil(log2 k) rounds (18 for 2 x 2).
    /// </summary>
    /// <remarks>
    /// The bits are kept for the backward pass, which routes the gradient down the same tree to the first largest
    /// element of each window (Tessera.Core's and PyTorch's choice among ties): per level one product of the gradient with
    /// the bits (1 round, no truncation), then a local scatter-add to the input positions; ceil(log2 k) rounds, exact.
    /// </remarks>
    /// <param name="kernelSize">Window height and width; positive.</param>
    /// <param name="stride">Step between windows; the window size when null.</param>
    /// <param name="padding">Padding on every side; each below half the window, as PyTorch requires.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The maxima, [N, C, outH, outW], at this tensor's scale (exact: no truncation).</returns>
    /// <exception cref="ArgumentException">The input is not rank 4, or the window does not fit.</exception>
    public async ValueTask<EncryptedTensor> MaxPool2dAsync(
        (int Height, int Width) kernelSize, (int Height, int Width)? stride = null, (int Height, int Width)? padding = null,
        CancellationToken cancellationToken = default)
    {
        var g = PoolGeometry(kernelSize, stride ?? kernelSize, padding ?? (0, 0), "MaxPool2d");
        await Session.Provider.AnnounceAheadAsync(d => ServeMaxPoolLevelsAsync(d, g.Taps, g.Windows, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        var positions = new List<ulong[]>(g.Taps);
        for (var t = 0; t < g.Taps; t++)
        {
            positions.Add(GatherTap(g, t, fillWithFirstValid: true));
        }

        var windows = g.Windows;
        var levels = new List<SharedTensor>();
        while (positions.Count > 1)
        {
            var pairs = positions.Count / 2;
            var left = new ulong[pairs * windows];
            var right = new ulong[pairs * windows];
            for (var p = 0; p < pairs; p++)
            {
                positions[2 * p].CopyTo(left, p * windows);
                positions[(2 * p) + 1].CopyTo(right, p * windows);
            }

            // right wins where left - right < 0: the sign tree of the difference, then (right - left) times that bit by
            // bit injection (8 rounds); the bits are kept for the backward pass.
            var difference = new ulong[left.Length];
            RingKernels.Subtract(left, right, difference);
            var rightWinsPacked = await SignBit.TopBitAsync(Session, difference, cancellationToken).ConfigureAwait(false);
            RingKernels.Subtract(right, left, difference);
            var (chosen, rightWins) = await BitInjection.MultiplyAsync(Session, difference, rightWinsPacked, complement: false, cancellationToken)
                .ConfigureAwait(false);
            RingKernels.Add(left, chosen, left);
            levels.Add(new SharedTensor(Session, rightWins, [pairs * windows], 0));
            var next = new List<ulong[]>((positions.Count + 1) / 2);
            for (var p = 0; p < pairs; p++)
            {
                next.Add(left.AsSpan(p * windows, windows).ToArray());
            }

            if (positions.Count % 2 == 1)
            {
                next.Add(positions[^1]);
            }

            positions = next;
        }

        return new EncryptedTensor(new SharedTensor(Session, positions[0], g.OutShape, FractionalBits)).Record(
            "max pool",
            async (gradient, ct) => [await MaxPoolBackwardAsync(g, levels, Materialize(gradient), ct).ConfigureAwait(false)],
            this);
    }

    /// <summary>The requests of max pooling's tournament: per level, the sign tree and a bit injection of (taps / 2) windows.</summary>
    private static async ValueTask ServeMaxPoolLevelsAsync(ICorrelationServer dealer, int taps, int windows, CancellationToken cancellationToken)
    {
        for (var count = taps; count > 1; count = (count + 1) / 2)
        {
            var compared = checked(count / 2 * windows);
            await dealer.ServeEdaBitsAsync(compared, cancellationToken).ConfigureAwait(false);
            await dealer.ServeSignTreeTriplesAsync(compared, cancellationToken).ConfigureAwait(false);
            await dealer.ServeBitProductsAsync(compared, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// 2-D average pooling of [N, C, H, W] (padding counts as zeros and every window divides by kh kw, PyTorch's default):
    /// a local sum over the window positions, then one product with the public 1 / (kh kw) and one truncation; 1 round.
    /// </summary>
    /// <param name="kernelSize">Window height and width; positive.</param>
    /// <param name="stride">Step between windows; the window size when null.</param>
    /// <param name="padding">Zero padding on every side.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The averages, [N, C, outH, outW]; error at most one unit in the last place plus the encoding of 1 / (kh kw).</returns>
    /// <exception cref="ArgumentException">The input is not rank 4, or the window does not fit.</exception>
    public async ValueTask<EncryptedTensor> AvgPool2dAsync(
        (int Height, int Width) kernelSize, (int Height, int Width)? stride = null, (int Height, int Width)? padding = null,
        CancellationToken cancellationToken = default)
    {
        var g = PoolGeometry(kernelSize, stride ?? kernelSize, padding ?? (0, 0), "AvgPool2d");
        var sum = new ulong[g.Windows];
        for (var t = 0; t < g.Taps; t++)
        {
            var tap = GatherTap(g, t, fillWithFirstValid: false);
            RingKernels.Add(sum, tap, sum);
        }

        // The window sum records its own backward (every tap gets the window's gradient); the product with the public
        // 1 / (kh kw) records its own, so the input's gradient is g / (kh kw) spread over the window (one truncation).
        var total = new EncryptedTensor(new SharedTensor(Session, sum, g.OutShape, FractionalBits)).Record(
            "avg pool sum",
            gradient =>
            {
                var upstream = Materialize(gradient).Shares.Share;
                var taps = Enumerable.Repeat(upstream, g.Taps).ToList();
                return [new EncryptedTensor(new SharedTensor(Session, ScatterTaps(g, taps, padToFirstValid: false), ShapeArray, gradient.FractionalBits))];
            },
            this);
        return await total.MulAsync(1.0 / g.Taps, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The position of the largest element along the last dimension as an encrypted one-hot vector (the first position
    /// among ties, as <see cref="Tensor"/>'s argmax): a tournament tree over the n positions, all rows and pairs of a level
    /// at once; each level is one comparison (8 rounds) and one product with the 0/1 bit (1 round, no truncation) that
    /// selects the winner's value and one-hot together: 9 ceil(log2 n) rounds.
    /// </summary>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares of the one-hot vectors, this tensor's shape, values 0 or 1 at the session's scale (exact).</returns>
    /// <exception cref="ArgumentException">The tensor is a scalar or its last dimension is empty.</exception>
    public async ValueTask<EncryptedTensor> ArgMaxAsync(CancellationToken cancellationToken = default)
    {
        if (Rank == 0 || ShapeArray[^1] == 0)
        {
            throw new ArgumentException(
                $"ArgMax needs a non-empty last dimension; the shape is [{string.Join(", ", ShapeArray)}].");
        }

        var n = ShapeArray[^1];
        var rows = Count / n;
        var record = n + 1;
        var one = Session.Rank == 0 ? 1UL << Session.FractionalBits : 0UL;
        var candidates = new List<ulong[]>(n);
        for (var j = 0; j < n; j++)
        {
            var candidate = new ulong[rows * record];
            for (var r = 0; r < rows; r++)
            {
                candidate[r * record] = Shares.Share[(r * n) + j];
                candidate[(r * record) + 1 + j] = one;
            }

            candidates.Add(candidate);
        }

        var scale = Session.FractionalBits;
        while (candidates.Count > 1)
        {
            var pairs = candidates.Count / 2;
            var size = pairs * rows;
            var leftValues = new ulong[size];
            var rightValues = new ulong[size];
            var left = new ulong[size * record];
            var difference = new ulong[size * record];
            for (var p = 0; p < pairs; p++)
            {
                var l = candidates[2 * p];
                var r = candidates[(2 * p) + 1];
                l.CopyTo(left, p * rows * record);
                RingKernels.Subtract(r, l, difference.AsSpan(p * rows * record, rows * record));
                for (var row = 0; row < rows; row++)
                {
                    leftValues[(p * rows) + row] = l[row * record];
                    rightValues[(p * rows) + row] = r[row * record];
                }
            }

            var rightWins = await Session.GreaterThanAsync(
                new SharedTensor(Session, rightValues, [size], FractionalBits),
                new SharedTensor(Session, leftValues, [size], FractionalBits),
                cancellationToken).ConfigureAwait(false);
            var bits = new ulong[size * record];
            for (var i = 0; i < size; i++)
            {
                bits.AsSpan(i * record, record).Fill(rightWins.Share[i]);
            }

            var selected = await Session.MulAsync(
                new SharedTensor(Session, bits, [size * record], rightWins.FractionalBits),
                new SharedTensor(Session, difference, [size * record], scale),
                cancellationToken).ConfigureAwait(false);
            RingKernels.Add(left, selected.Share, left);
            var next = new List<ulong[]>((candidates.Count + 1) / 2);
            for (var p = 0; p < pairs; p++)
            {
                next.Add(left.AsSpan(p * rows * record, rows * record).ToArray());
            }

            if (candidates.Count % 2 == 1)
            {
                next.Add(candidates[^1]);
            }

            candidates = next;
        }

        var winner = candidates[0];
        var oneHot = new ulong[Count];
        for (var r = 0; r < rows; r++)
        {
            winner.AsSpan((r * record) + 1, n).CopyTo(oneHot.AsSpan(r * n, n));
        }

        return new EncryptedTensor(new SharedTensor(Session, oneHot, ShapeArray, scale)).Record(
            "argmax",
            _ => throw new NotSupportedException(
                "ArgMax has no gradient (its one-hot output is piecewise constant); compute the loss from the logits, "
                + "e.g. with EncryptedLoss.SoftmaxCrossEntropyAsync, not from ArgMaxAsync or ArgMaxIndexAsync."),
            this);
    }

    /// <summary>
    /// The index of the largest element along the last dimension (the first among ties): <see cref="ArgMaxAsync"/>, then
    /// the local dot product of the one-hot vector with 0, 1, ..., n - 1.
    /// </summary>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>Shares of the indices, the shape without its last dimension, at the session's scale (exact integers).</returns>
    public async ValueTask<EncryptedTensor> ArgMaxIndexAsync(CancellationToken cancellationToken = default)
    {
        var oneHot = await ArgMaxAsync(cancellationToken).ConfigureAwait(false);
        var n = ShapeArray[^1];
        var rows = Count / n;
        var index = new ulong[rows];
        for (var r = 0; r < rows; r++)
        {
            var total = 0UL;
            for (var j = 1; j < n; j++)
            {
                total = unchecked(total + ((ulong)j * oneHot.Shares.Share[(r * n) + j]));
            }

            index[r] = total;
        }

        return new EncryptedTensor(new SharedTensor(Session, index, ShapeArray[..^1], oneHot.FractionalBits));
    }

    /// <summary>
    /// Routes the gradient of max pooling down the comparison tree: at each level, from the top, the right operand of a
    /// pair gets b g and the left g - b g (one Beaver product of all pairs with the 0/1 bits, no truncation); the taps'
    /// gradients are then scattered to the input (a padded tap held a copy of the window's first inside element).
    /// </summary>
    private async ValueTask<EncryptedTensor> MaxPoolBackwardAsync(
        PoolWindows g, List<SharedTensor> levels, EncryptedTensor gradient, CancellationToken cancellationToken)
    {
        var windows = g.Windows;
        var gradients = new List<ulong[]> { gradient.Shares.Share };
        for (var level = levels.Count - 1; level >= 0; level--)
        {
            var bits = levels[level];
            var pairs = bits.Count / windows;

            // The level had 2 pairs (+ 1 carried) positions; its output has pairs (+ 1) gradients, the carried one last.
            var upstream = new ulong[pairs * windows];
            for (var p = 0; p < pairs; p++)
            {
                gradients[p].CopyTo(upstream, p * windows);
            }

            var toRight = await Session.MulAsync(
                bits, new SharedTensor(Session, upstream, [pairs * windows], gradient.FractionalBits), cancellationToken).ConfigureAwait(false);
            var next = new List<ulong[]>((2 * pairs) + 1);
            for (var p = 0; p < pairs; p++)
            {
                var right = toRight.Share.AsSpan(p * windows, windows).ToArray();
                var left = new ulong[windows];
                RingKernels.Subtract(gradients[p], right, left);
                next.Add(left);
                next.Add(right);
            }

            if (gradients.Count > pairs)
            {
                next.Add(gradients[pairs]);
            }

            gradients = next;
        }

        var input = ScatterTaps(g, gradients, padToFirstValid: true);
        return new EncryptedTensor(new SharedTensor(Session, input, ShapeArray, gradient.FractionalBits));
    }

    /// <summary>
    /// The adjoint of <see cref="GatherTap"/> over all taps: adds each tap's value of every window to the input position it
    /// was read from; a tap outside the input goes to the window's first inside element or, for zero padding, nowhere.
    /// </summary>
    private ulong[] ScatterTaps(PoolWindows g, IReadOnlyList<ulong[]> taps, bool padToFirstValid)
    {
        var result = new ulong[Count];
        for (var tap = 0; tap < g.Taps; tap++)
        {
            var sources = TapSources(g, tap, padToFirstValid);
            var values = taps[tap];
            for (var o = 0; o < sources.Length; o++)
            {
                if (sources[o] >= 0)
                {
                    result[sources[o]] = unchecked(result[sources[o]] + values[o]);
                }
            }
        }

        return result;
    }

    private PoolWindows PoolGeometry(
        (int Height, int Width) kernel, (int Height, int Width) stride, (int Height, int Width) padding, string layer)
    {
        if (Rank != 4)
        {
            throw new ArgumentException($"{layer} expects [N, C, H, W], got [{string.Join(", ", ShapeArray)}].");
        }

        if (kernel.Height <= 0 || kernel.Width <= 0 || stride.Height <= 0 || stride.Width <= 0 || padding.Height < 0
            || padding.Width < 0 || 2 * padding.Height > kernel.Height || 2 * padding.Width > kernel.Width)
        {
            throw new ArgumentException(
                $"{layer} needs a positive window and stride and padding at most half the window; got kernel {kernel}, "
                + $"stride {stride}, padding {padding}.");
        }

        var outH = ((ShapeArray[2] + (2 * padding.Height) - kernel.Height) / stride.Height) + 1;
        var outW = ((ShapeArray[3] + (2 * padding.Width) - kernel.Width) / stride.Width) + 1;
        if (ShapeArray[2] + (2 * padding.Height) < kernel.Height || ShapeArray[3] + (2 * padding.Width) < kernel.Width)
        {
            throw new ArgumentException(
                $"{layer} window {kernel} is larger than the padded input [{string.Join(", ", ShapeArray)}] (padding {padding}).");
        }

        return new PoolWindows(ShapeArray[0] * ShapeArray[1], ShapeArray[2], ShapeArray[3], kernel, stride, padding, outH, outW,
            [ShapeArray[0], ShapeArray[1], outH, outW]);
    }

    /// <summary>The share at window position <paramref name="tap"/> of every window; outside the input, zero or the window's first inside element.</summary>
    private ulong[] GatherTap(PoolWindows g, int tap, bool fillWithFirstValid)
    {
        var sources = TapSources(g, tap, fillWithFirstValid);
        var share = Shares.Share;
        var result = new ulong[sources.Length];
        for (var o = 0; o < sources.Length; o++)
        {
            result[o] = sources[o] >= 0 ? share[sources[o]] : 0;
        }

        return result;
    }

    /// <summary>
    /// Where window position <paramref name="tap"/> of every window reads the input: an index, or -1 outside the input
    /// (zero padding) unless <paramref name="firstValid"/>, which points it at the window's first inside element instead
    /// (padding never wins a maximum; repeating an element of the same window leaves the maximum unchanged).
    /// </summary>
    private static int[] TapSources(PoolWindows g, int tap, bool firstValid)
    {
        var di = tap / g.Kernel.Width;
        var dj = tap % g.Kernel.Width;
        var sources = new int[g.Windows];
        var plane = g.Height * g.Width;
        var o = 0;
        for (var c = 0; c < g.Planes; c++)
        {
            var baseIndex = c * plane;
            for (var oh = 0; oh < g.OutHeight; oh++)
            {
                var top = (oh * g.Stride.Height) - g.Padding.Height;
                for (var ow = 0; ow < g.OutWidth; ow++, o++)
                {
                    var leftEdge = (ow * g.Stride.Width) - g.Padding.Width;
                    var (i, j) = (top + di, leftEdge + dj);
                    sources[o] = i >= 0 && i < g.Height && j >= 0 && j < g.Width
                        ? baseIndex + (i * g.Width) + j
                        : firstValid ? baseIndex + (Math.Max(top, 0) * g.Width) + Math.Max(leftEdge, 0) : -1;
                }
            }
        }

        return sources;
    }

    private sealed record PoolWindows(
        int Planes, int Height, int Width, (int Height, int Width) Kernel, (int Height, int Width) Stride,
        (int Height, int Width) Padding, int OutHeight, int OutWidth, int[] OutShape)
    {
        public int Taps => Kernel.Height * Kernel.Width;

        public int Windows => Planes * OutHeight * OutWidth;
    }
}
