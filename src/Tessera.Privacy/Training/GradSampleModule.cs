using Tessera.NN;

namespace Tessera.Privacy.Training;

/// <summary>
/// Runs a model so that the gradient of every sample in a batch can be told apart: each trainable layer keeps its input
/// activations in the forward pass and the gradient of its output in the backward pass, and the per-sample gradients,
/// their norms and their clipped sum are computed from those with batched products (after Opacus' GradSampleModule).
/// </summary>
/// <remarks>
/// <para>
/// Supported: <see cref="Linear"/> (any number of leading dimensions after the batch) and <see cref="NN.Conv2d"/> (any
/// stride, padding, dilation and groups), composed with <see cref="Sequential"/> and any parameter-free module
/// (activations, pooling, flatten, dropout, LayerNorm without affine parameters). Parameters with
/// <see cref="Tensor.RequiresGrad"/> cleared are frozen and left out. A module that mixes samples (BatchNorm) or has
/// trainable parameters without per-sample support is refused when the wrapper is built.
/// </para>
/// <para>
/// The loss must be the sum of the per-sample losses (<see cref="Reduction.Sum"/>), so that each captured slice is that
/// sample's own gradient. The batch gradient of the parameters is never formed by the backward pass: it is written by
/// <see cref="WriteScaledSum"/>. Not thread-safe.
/// </para>
/// </remarks>
public sealed class GradSampleModule
{
    private readonly List<PerSampleLayer> _layers = [];
    private readonly Func<Tensor, Tensor> _forward;

    /// <summary>Wraps <paramref name="model"/>; its parameters are shared, not copied.</summary>
    /// <param name="model">The model.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="NotSupportedException">A layer mixes samples (BatchNorm), has trainable parameters without per-sample
    /// support, or appears twice; the message names it.</exception>
    public GradSampleModule(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _forward = Build(model, "", _layers);
        Parameters = [.. _layers.SelectMany(l => l.Parameters)];
    }

    /// <summary>The wrapped model.</summary>
    public Module Model { get; }

    /// <summary>The trainable parameters, in the order of the layers that own them.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The samples in the batch of the last <see cref="Forward"/>; zero before one.</summary>
    public int BatchSize { get; private set; }

    /// <summary>Runs the model on a batch and captures what the per-sample gradients need.</summary>
    /// <param name="input">The batch; its first dimension is the sample.</param>
    /// <returns>The model's output, recorded for <see cref="Tensor.Backward"/>.</returns>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Size(0) == 0)
        {
            throw new ArgumentException($"GradSampleModule needs a batch of at least one sample, got {ShapeHelpers.Format(input.Shape)}.", nameof(input));
        }

        foreach (var layer in _layers)
        {
            layer.Reset();
        }

        BatchSize = input.Size(0);
        return _forward(input);
    }

    /// <summary>Each sample's gradient norm over all trainable parameters (flat), after the backward pass.</summary>
    /// <returns>One norm per sample of the last batch.</returns>
    public double[] PerSampleNorms()
    {
        var squared = new double[BatchSize];
        foreach (var layer in _layers)
        {
            layer.AddSquaredNorms(squared);
        }

        for (var i = 0; i < squared.Length; i++)
        {
            squared[i] = Math.Sqrt(squared[i]);
        }

        return squared;
    }

    /// <summary>Sets every trainable parameter's gradient to <c>sum_n scale[n] * grad_n</c>.</summary>
    /// <param name="scale">One factor per sample of the last batch.</param>
    /// <exception cref="ArgumentException">The number of factors is not the batch size.</exception>
    public void WriteScaledSum(ReadOnlySpan<double> scale)
    {
        if (scale.Length != BatchSize)
        {
            throw new ArgumentException($"Expected {BatchSize} per-sample factors, got {scale.Length}.", nameof(scale));
        }

        foreach (var layer in _layers)
        {
            layer.WriteScaledSum(scale);
        }
    }

    /// <summary>The per-sample gradients of every trainable parameter, [N, ...parameter shape], by dotted layer name.</summary>
    /// <remarks>Materialises N copies of the parameters; meant for tests and inspection, not for training.</remarks>
    public IReadOnlyList<(string Name, Tensor Gradient)> PerSampleGradients()
    {
        var result = new List<(string, Tensor)>();
        foreach (var layer in _layers)
        {
            var grads = layer.PerSampleGradients();
            var names = layer.ParameterNames;
            for (var i = 0; i < grads.Count; i++)
            {
                result.Add((layer.Name.Length == 0 ? names[i] : $"{layer.Name}.{names[i]}", grads[i]));
            }
        }

        return result;
    }

    private static Func<Tensor, Tensor> Build(Module module, string name, List<PerSampleLayer> layers)
    {
        var label = name.Length == 0 ? "the model" : $"layer '{name}'";
        switch (module)
        {
            case BatchNorm:
                throw new NotSupportedException(
                    $"DP-SGD cannot train {label} ({module.GetType().Name}): batch normalisation mixes the samples of a batch, so one "
                    + "sample's gradient depends on the others and per-sample clipping cannot bound it. Use GroupNorm or LayerNorm, "
                    + "or no normalisation.");
            case Sequential sequential:
            {
                var steps = sequential.NamedChildren()
                    .Select(c => Build(c.Module, name.Length == 0 ? c.Name : $"{name}.{c.Name}", layers)).ToArray();
                return x =>
                {
                    foreach (var step in steps)
                    {
                        x = step(x);
                    }

                    return x;
                };
            }

            case Linear linear when linear.Parameters().Any(p => p.RequiresGrad):
                return Add(new LinearPerSample(name, linear));
            case NN.Conv2d conv when conv.Parameters().Any(p => p.RequiresGrad):
                return Add(new Conv2dPerSample(name, conv));
        }

        foreach (var (childName, _) in Descendants(module, name).Where(d => d.Module is BatchNorm))
        {
            throw new NotSupportedException(
                $"DP-SGD cannot train layer '{childName}' (BatchNorm): batch normalisation mixes the samples of a batch. Use GroupNorm "
                + "or LayerNorm, or no normalisation.");
        }

        if (module.Parameters().Any(p => p.RequiresGrad))
        {
            throw new NotSupportedException(
                $"DP-SGD cannot train {label} ({module.GetType().Name}): it has trainable parameters but no per-sample gradient "
                + "support (supported: Linear and Conv2d inside Sequential). Freeze it (RequiresGrad = false on its parameters) or "
                + "replace it.");
        }

        return module.Forward;

        Func<Tensor, Tensor> Add(PerSampleLayer layer)
        {
            if (layers.Any(l => ReferenceEquals(l.Module, module)))
            {
                throw new NotSupportedException(
                    $"DP-SGD cannot train {label}: the same layer appears twice in the model, and per-sample gradients need each "
                    + "layer to run once per step.");
            }

            layers.Add(layer);
            return layer.Forward;
        }
    }

    private static IEnumerable<(string Name, Module Module)> Descendants(Module module, string name)
    {
        foreach (var (childName, child) in module.NamedChildren())
        {
            var full = name.Length == 0 ? childName : $"{name}.{childName}";
            yield return (full, child);
            foreach (var d in Descendants(child, full))
            {
                yield return d;
            }
        }
    }
}
