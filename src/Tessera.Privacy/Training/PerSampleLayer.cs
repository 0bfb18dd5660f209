using System.Numerics;
using Tessera.NN;

namespace Tessera.Privacy.Training;

/// <summary>
/// A trainable layer whose per-sample gradients are computed from what it captures in one step: its input activations
/// (forward) and the gradient of the summed loss with respect to its output (backward), as Opacus' GradSampleModule does.
/// </summary>
/// <remarks>
/// The captured output is recorded against the layer's parameters but its backward function returns no gradient for
/// them: the batch gradient of the parameters is never formed, only the gradient that flows on to the layer's input.
/// The per-sample gradients, their norms and the clipped sum are then batched products of the two captured tensors.
/// </remarks>
internal abstract class PerSampleLayer
{
    private Tensor? _activation;
    private Tensor? _gradOutput;

    /// <summary>Creates the layer.</summary>
    /// <param name="name">The layer's dotted name in the model, for messages.</param>
    protected PerSampleLayer(string name) => Name = name;

    /// <summary>The layer's dotted name in the model.</summary>
    public string Name { get; }

    /// <summary>The wrapped module.</summary>
    public abstract Module Module { get; }

    /// <summary>The layer's trainable parameters, in the model's order.</summary>
    public abstract IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The trainable parameters' names within the layer (<c>weight</c>, <c>bias</c>).</summary>
    public abstract IReadOnlyList<string> ParameterNames { get; }

    /// <summary>The samples in the captured batch; zero before a forward pass.</summary>
    public int BatchSize => _activation?.Size(0) ?? 0;

    /// <summary>The input captured by the last forward pass.</summary>
    protected Tensor Activation => _activation ?? throw new InvalidOperationException($"Layer '{Name}' has not run forward in this step.");

    /// <summary>The output gradient captured by the last backward pass, or null when no gradient reached the layer.</summary>
    protected Tensor? GradOutput => _gradOutput;

    /// <summary>Computes the layer's output and captures what the per-sample gradients need.</summary>
    /// <param name="input">The input; its first dimension is the batch.</param>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Forgets the captured tensors (the start of a step).</summary>
    public virtual void Reset()
    {
        _activation = null;
        _gradOutput = null;
    }

    /// <summary>Adds each sample's squared gradient norm over this layer's parameters to <paramref name="squaredNorms"/>.</summary>
    /// <param name="squaredNorms">One entry per sample.</param>
    public void AddSquaredNorms(Span<double> squaredNorms)
    {
        if (_gradOutput is null)
        {
            return;
        }

        if (WeightDType == DType.Float32)
        {
            AddSquaredNorms<float>(squaredNorms);
        }
        else
        {
            AddSquaredNorms<double>(squaredNorms);
        }
    }

    /// <summary>Sets each parameter's <see cref="Tensor.Grad"/> to <c>sum_n scale[n] * grad_n</c>.</summary>
    /// <param name="scale">One factor per sample.</param>
    public void WriteScaledSum(ReadOnlySpan<double> scale)
    {
        if (_gradOutput is null)
        {
            foreach (var p in Parameters)
            {
                ZeroGrad(p);
            }

            return;
        }

        if (WeightDType == DType.Float32)
        {
            WriteScaledSum<float>(scale);
        }
        else
        {
            WriteScaledSum<double>(scale);
        }
    }

    /// <summary>The dtype of the layer's weight, which selects the float or double kernels.</summary>
    protected abstract DType WeightDType { get; }

    /// <summary>Adds each sample's squared gradient norm over this layer's parameters, in <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The parameters' element type.</typeparam>
    /// <param name="squaredNorms">One entry per sample.</param>
    protected abstract void AddSquaredNorms<T>(Span<double> squaredNorms)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Writes sum_n scale[n] g_n into each parameter's gradient, in <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The parameters' element type.</typeparam>
    /// <param name="scale">One factor per sample.</param>
    protected abstract void WriteScaledSum<T>(ReadOnlySpan<double> scale)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The per-sample gradients, one tensor [N, ...parameter shape] per trainable parameter.</summary>
    public abstract IReadOnlyList<Tensor> PerSampleGradients();

    /// <summary>Records the layer's output so that its gradient is captured, and keeps the input.</summary>
    /// <param name="input">The layer's input.</param>
    /// <param name="output">The output computed from detached parameters.</param>
    /// <param name="weight">The weight (attached, so that the output is recorded even when the input needs no gradient).</param>
    /// <param name="bias">The bias, or null.</param>
    protected Tensor Capture(Tensor input, Tensor output, Tensor weight, Tensor? bias)
    {
        if (input.Rank < 2 || input.Size(0) == 0)
        {
            throw new ArgumentException(
                $"Layer '{Name}': per-sample gradients need a batch of at least one sample along the first dimension, got "
                + $"{ShapeHelpers.Format(input.Shape)}.", nameof(input));
        }

        if (_activation is not null && Autograd.IsEnabled)
        {
            throw new InvalidOperationException(
                $"Layer '{Name}' ran twice in one forward pass; per-sample gradients need each layer to run once per step.");
        }

        _activation = input.Detach();
        _gradOutput = null;
        if (!Autograd.IsEnabled)
        {
            return output;
        }

        Tensor[] inputs = bias is null ? [output, weight] : [output, weight, bias];
        return output.Detach().Record($"PerSample({GetType().Name})", g =>
        {
            _gradOutput = g;
            return bias is null ? [g, null] : [g, null, null];
        }, inputs);
    }

    /// <summary>A contiguous tensor's elements as memory over its storage.</summary>
    protected static Memory<T> MemoryOf<T>(Tensor t)
        where T : unmanaged => ((T[])t.Storage).AsMemory(t.Offset, t.Count);

    /// <summary>The per-sample factors in the gradient's element type.</summary>
    protected static T[] Convert<T>(ReadOnlySpan<double> scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[scale.Length];
        for (var i = 0; i < scale.Length; i++)
        {
            result[i] = T.CreateTruncating(scale[i]);
        }

        return result;
    }

    /// <summary>Sets a parameter's gradient to zeros (a layer that no gradient reached).</summary>
    protected static void ZeroGrad(Tensor parameter) => parameter.Grad = Tensor.Zeros(parameter.Shape, parameter.DType);
}
