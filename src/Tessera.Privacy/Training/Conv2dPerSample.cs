using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Tessera.Kernels;
using Tessera.NN;

namespace Tessera.Privacy.Training;

/// <summary>Per-sample gradients of <see cref="NN.Conv2d"/>: <c>gW[n] = gy[n] (O x L) @ cols[n]^T</c> per group, <c>gb[n] = sum_l gy[n]</c>.</summary>
/// <remarks>
/// Each image is unfolded with Core's im2col (so stride, padding, dilation and groups are those of the forward pass)
/// and multiplied by its output gradient, the samples split across the cores. Ghost norms do not pay for convolutions
/// (the Gram matrices are L x L with L output positions, larger than the weight for the usual small kernels), so the
/// per-sample weight gradients are formed once per step, [N, O * C / groups * kh * kw], and serve both the norms and the
/// clipped sum (one GEMV).
/// </remarks>
internal sealed class Conv2dPerSample : PerSampleLayer
{
    private readonly NN.Conv2d _layer;
    private readonly Tensor[] _parameters;
    private Array? _weightGrads;
    private Array? _biasGrads;

    /// <summary>Wraps <paramref name="layer"/>.</summary>
    /// <param name="name">Its dotted name in the model.</param>
    /// <param name="layer">The layer.</param>
    public Conv2dPerSample(string name, NN.Conv2d layer)
        : base(name)
    {
        _layer = layer;
        _parameters = [.. new[] { layer.Weight, layer.Bias }.OfType<Tensor>().Where(p => p.RequiresGrad)];
    }

    /// <inheritdoc/>
    public override Module Module => _layer;

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> Parameters => _parameters;

    /// <inheritdoc/>
    public override IReadOnlyList<string> ParameterNames =>
        [.. _parameters.Select(p => ReferenceEquals(p, _layer.Weight) ? "weight" : "bias")];

    private int KernelElements => _layer.InChannels / _layer.Groups * _layer.KernelSize.Height * _layer.KernelSize.Width;

    private bool TrainsWeight => _layer.Weight.RequiresGrad;

    private bool TrainsBias => _layer.Bias is { RequiresGrad: true };

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var y = input.Conv2d(_layer.Weight.Detach(), _layer.Bias?.Detach(), _layer.Stride, _layer.Padding, _layer.Dilation, _layer.Groups);
        return Capture(input, y, _layer.Weight, _layer.Bias);
    }

    /// <inheritdoc/>
    public override void Reset()
    {
        base.Reset();
        _weightGrads = null;
        _biasGrads = null;
    }

    /// <inheritdoc/>
    protected override DType WeightDType => _layer.Weight.DType;

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> PerSampleGradients()
    {
        var n = BatchSize;
        var o = _layer.OutChannels;
        var (kh, kw) = _layer.KernelSize;
        var result = new List<Tensor>();
        if (_layer.Weight.DType == DType.Float32)
        {
            var (w, b) = Materialise<float>();
            AddTo(result, w, b);
        }
        else
        {
            var (w, b) = Materialise<double>();
            AddTo(result, w, b);
        }

        return result;

        void AddTo<T>(List<Tensor> list, T[] w, T[] b)
            where T : unmanaged
        {
            if (TrainsWeight)
            {
                list.Add(Tensor.FromArray((T[])w.Clone(), n, o, _layer.InChannels / _layer.Groups, kh, kw));
            }

            if (TrainsBias)
            {
                list.Add(Tensor.FromArray((T[])b.Clone(), n, o));
            }
        }
    }

    /// <inheritdoc/>
    protected override void AddSquaredNorms<T>(Span<double> squaredNorms)
    {
        var (w, b) = Materialise<T>();
        var o = _layer.OutChannels;
        var p = o * KernelElements;
        for (var i = 0; i < squaredNorms.Length; i++)
        {
            var total = 0.0;
            if (TrainsWeight)
            {
                total += double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(w.AsSpan(i * p, p)));
            }

            if (TrainsBias)
            {
                total += double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(b.AsSpan(i * o, o)));
            }

            squaredNorms[i] += total;
        }
    }

    /// <inheritdoc/>
    protected override void WriteScaledSum<T>(ReadOnlySpan<double> scale)
    {
        var (w, b) = Materialise<T>();
        var factors = Convert<T>(scale);
        var n = factors.Length;
        var o = _layer.OutChannels;
        var p = o * KernelElements;
        if (TrainsWeight)
        {
            var gw = new T[p];
            ConvolutionKernels.Multiply<T>(false, false, 1, p, n, factors, n, w, p, gw, p, accumulate: false);
            _layer.Weight.Grad = Tensor.FromArray(gw, _layer.Weight.ShapeToArray());
        }

        if (TrainsBias)
        {
            var gb = new T[o];
            ConvolutionKernels.Multiply<T>(false, false, 1, o, n, factors, n, b, o, gb, o, accumulate: false);
            _layer.Bias!.Grad = Tensor.FromArray(gb, o);
        }
    }

    // The per-sample weight and bias gradients, [N, O * K] and [N, O], computed once per step.
    private (T[] Weight, T[] Bias) Materialise<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (_weightGrads is T[] cachedW && _biasGrads is T[] cachedB)
        {
            return (cachedW, cachedB);
        }

        var x = Activation.Contiguous();
        var gy = (GradOutput ?? throw new InvalidOperationException($"Layer '{Name}' has no output gradient.")).Contiguous();
        int n = x.Size(0), c = x.Size(1), h = x.Size(2), wd = x.Size(3);
        var (kh, kw) = _layer.KernelSize;
        var g = new ConvolutionGeometry(c, h, wd, kh, kw, _layer.Stride.Height, _layer.Stride.Width, _layer.Padding.Height,
            _layer.Padding.Width, _layer.Dilation.Height, _layer.Dilation.Width);
        var plane = g.OutPlane;
        var o = _layer.OutChannels;
        var groups = _layer.Groups;
        var og = o / groups;
        var k = g.ColumnRows / groups;
        var inImage = c * h * wd;
        var weights = GC.AllocateUninitializedArray<T>(n * o * k);
        var biases = GC.AllocateUninitializedArray<T>(n * o);
        var xm = MemoryOf<T>(x);
        var gm = MemoryOf<T>(gy);
        var workers = Math.Min(Environment.ProcessorCount, n);
        Parallel.For(0, workers, worker =>
        {
            var first = (int)((long)n * worker / workers);
            var end = (int)((long)n * (worker + 1) / workers);
            var cols = ArrayPool<T>.Shared.Rent(g.ColumnRows * plane);
            try
            {
                for (var i = first; i < end; i++)
                {
                    ConvolutionKernels.Im2Col<T>(xm.Span.Slice(i * inImage, inImage), g, cols);
                    var gyi = gm.Span.Slice(i * o * plane, o * plane);
                    for (var gi = 0; gi < groups; gi++)
                    {
                        ConvolutionKernels.Multiply<T>(false, true, og, k, plane, gyi[(gi * og * plane)..], plane,
                            cols.AsSpan(gi * k * plane), plane, weights.AsSpan((i * o * k) + (gi * og * k), og * k), k, accumulate: false);
                    }

                    for (var ch = 0; ch < o; ch++)
                    {
                        biases[(i * o) + ch] = TensorPrimitives.Sum<T>(gyi.Slice(ch * plane, plane));
                    }
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(cols);
            }
        });

        _weightGrads = weights;
        _biasGrads = biases;
        return (weights, biases);
    }
}
