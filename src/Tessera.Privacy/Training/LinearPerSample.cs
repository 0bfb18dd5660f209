using System.Numerics;
using System.Numerics.Tensors;
using Tessera.Kernels;
using Tessera.NN;

namespace Tessera.Privacy.Training;

/// <summary>Per-sample gradients of <see cref="Linear"/>: <c>gW[n] = sum_t g[n,t]^T a[n,t]</c>, <c>gb[n] = sum_t g[n,t]</c>.</summary>
/// <remarks>
/// Inputs [N, ..., in] are seen as [N, T, in]. Norms never materialise gW[n]: with T = 1 the weight part is
/// <c>||a[n]||^2 ||g[n]||^2</c>; with T &gt; 1 it is the ghost norm <c>sum (a a^T) .* (g g^T)</c> when T^2 &lt;= in * out,
/// otherwise gW[n] is formed one sample at a time. The clipped sum is one GEMM: <c>(s .* G)^T A</c> over all N * T rows.
/// </remarks>
internal sealed class LinearPerSample : PerSampleLayer
{
    private readonly Linear _layer;
    private readonly Tensor[] _parameters;

    /// <summary>Wraps <paramref name="layer"/>.</summary>
    /// <param name="name">Its dotted name in the model.</param>
    /// <param name="layer">The layer.</param>
    public LinearPerSample(string name, Linear layer)
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

    private bool TrainsWeight => _layer.Weight.RequiresGrad;

    private bool TrainsBias => _layer.Bias is { RequiresGrad: true };

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2 || input.Size(-1) != _layer.InFeatures)
        {
            throw new ArgumentException(
                $"Layer '{Name}' Linear({_layer.InFeatures}, {_layer.OutFeatures}) expects [N, ..., {_layer.InFeatures}], got "
                + $"{ShapeHelpers.Format(input.Shape)}.", nameof(input));
        }

        var y = input.MatMul(_layer.Weight.Detach().T);
        if (_layer.Bias is not null)
        {
            y = y.Add(_layer.Bias.Detach());
        }

        return Capture(input, y, _layer.Weight, _layer.Bias);
    }

    /// <inheritdoc/>
    protected override DType WeightDType => _layer.Weight.DType;

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> PerSampleGradients() =>
        _layer.Weight.DType == DType.Float32 ? PerSampleGradients<float>() : PerSampleGradients<double>();

    private (Memory<T> A, Memory<T> G, int N, int T) Operands<T>()
        where T : unmanaged
    {
        var a = Activation.Contiguous();
        var g = (GradOutput ?? Tensor.Zeros([.. Activation.ShapeToArray()[..^1], _layer.OutFeatures], Activation.DType)).Contiguous();
        var n = a.Size(0);
        return (MemoryOf<T>(a), MemoryOf<T>(g), n, a.Count / (n * _layer.InFeatures));
    }

    /// <inheritdoc/>
    protected override void AddSquaredNorms<T>(Span<double> squaredNorms)
    {
        var (am, gm, n, t) = Operands<T>();
        int inF = _layer.InFeatures, outF = _layer.OutFeatures;
        var ghost = t * t <= inF * outF;
        var work = t == 1 ? [] : new T[ghost ? 2 * t * t : outF * inF];
        var bias = t == 1 ? [] : new T[outF];
        for (var i = 0; i < n; i++)
        {
            var a = am.Span.Slice(i * t * inF, t * inF);
            var g = gm.Span.Slice(i * t * outF, t * outF);
            var gg = double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(g));
            var total = 0.0;
            if (TrainsWeight)
            {
                if (t == 1)
                {
                    total += double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(a)) * gg;
                }
                else if (ghost)
                {
                    var aat = work.AsSpan(0, t * t);
                    var ggt = work.AsSpan(t * t, t * t);
                    ConvolutionKernels.Multiply(false, true, t, t, inF, a, inF, a, inF, aat, t, accumulate: false);
                    ConvolutionKernels.Multiply(false, true, t, t, outF, g, outF, g, outF, ggt, t, accumulate: false);
                    total += double.CreateTruncating(TensorPrimitives.Dot<T>(aat, ggt));
                }
                else
                {
                    ConvolutionKernels.Multiply(true, false, outF, inF, t, g, outF, a, inF, work, inF, accumulate: false);
                    total += double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(work));
                }
            }

            if (TrainsBias)
            {
                if (t == 1)
                {
                    total += gg;
                }
                else
                {
                    SumRows(g, t, outF, bias);
                    total += double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(bias));
                }
            }

            squaredNorms[i] += total;
        }
    }

    /// <inheritdoc/>
    protected override void WriteScaledSum<T>(ReadOnlySpan<double> scale)
    {
        var (am, gm, n, t) = Operands<T>();
        int inF = _layer.InFeatures, outF = _layer.OutFeatures;
        var factors = Convert<T>(scale);
        var scaled = GC.AllocateUninitializedArray<T>(n * t * outF);
        for (var i = 0; i < n; i++)
        {
            TensorPrimitives.Multiply(gm.Span.Slice(i * t * outF, t * outF), factors[i], scaled.AsSpan(i * t * outF, t * outF));
        }

        if (TrainsWeight)
        {
            var gw = new T[outF * inF];
            ConvolutionKernels.Multiply<T>(true, false, outF, inF, n * t, scaled, outF, am.Span, inF, gw, inF, accumulate: false);
            _layer.Weight.Grad = Tensor.FromArray(gw, outF, inF);
        }

        if (TrainsBias)
        {
            var gb = new T[outF];
            SumRows<T>(scaled, n * t, outF, gb);
            _layer.Bias!.Grad = Tensor.FromArray(gb, outF);
        }
    }

    private List<Tensor> PerSampleGradients<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (am, gm, n, t) = Operands<T>();
        int inF = _layer.InFeatures, outF = _layer.OutFeatures;
        var result = new List<Tensor>();
        if (TrainsWeight)
        {
            var gw = new T[n * outF * inF];
            for (var i = 0; i < n; i++)
            {
                ConvolutionKernels.Multiply<T>(true, false, outF, inF, t, gm.Span.Slice(i * t * outF, t * outF), outF,
                    am.Span.Slice(i * t * inF, t * inF), inF, gw.AsSpan(i * outF * inF, outF * inF), inF, accumulate: false);
            }

            result.Add(Tensor.FromArray(gw, n, outF, inF));
        }

        if (TrainsBias)
        {
            var gb = new T[n * outF];
            for (var i = 0; i < n; i++)
            {
                SumRows<T>(gm.Span.Slice(i * t * outF, t * outF), t, outF, gb.AsSpan(i * outF, outF));
            }

            result.Add(Tensor.FromArray(gb, n, outF));
        }

        return result;
    }

    private static void SumRows<T>(ReadOnlySpan<T> rows, int count, int width, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        destination.Clear();
        for (var r = 0; r < count; r++)
        {
            TensorPrimitives.Add(destination, rows.Slice(r * width, width), destination);
        }
    }
}
