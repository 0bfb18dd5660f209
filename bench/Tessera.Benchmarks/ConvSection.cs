namespace Tessera.Benchmarks;

/// <summary>Conv2d forward and forward+backward (gradients of input, weight and bias) on the LeNet layers and one bigger layer.</summary>
internal static class ConvSection
{
    /// <summary>The same cases as CONV_CASES in bench/pytorch/bench.py.</summary>
    public static readonly ConvCase[] Cases =
    [
        new("lenet_conv1", 64, 1, 28, 28, 6, 5, 1, 2),
        new("lenet_conv2", 64, 6, 14, 14, 16, 5, 1, 0),
        new("conv3x3_64", 32, 64, 32, 32, 64, 3, 1, 1),
    ];

    public static string ForwardKey(ConvCase c) => $"conv.{c.Name}.forward_ms";

    public static string BackwardKey(ConvCase c) => $"conv.{c.Name}.forward_backward_ms";

    public static string ForwardLabel(ConvCase c) => $"conv {c.Describe()} fwd";

    public static string BackwardLabel(ConvCase c) => $"conv {c.Describe()} fwd+bwd";

    public static IReadOnlyList<Measurement> Run(bool quick, TextWriter log)
    {
        var results = new List<Measurement>();
        foreach (var c in Cases)
        {
            if (Unavailable() is { } why)
            {
                results.Add(Measurement.Missing(ForwardKey(c), ForwardLabel(c), "ms", why));
                results.Add(Measurement.Missing(BackwardKey(c), BackwardLabel(c), "ms", why));
                continue;
            }

            var random = new SeededRandomSource(2);
            var x = Tensor.Normal([c.N, c.InChannels, c.Height, c.Width], random);
            var weight = Tensor.Normal([c.OutChannels, c.InChannels, c.Kernel, c.Kernel], random,
                std: 1 / Math.Sqrt(c.InChannels * c.Kernel * c.Kernel));
            var bias = Tensor.Normal([c.OutChannels], random, std: 0.1);
            var reps = quick ? 3 : 10;

            var forward = Timing.Measure(
                () =>
                {
                    using var _ = Autograd.NoGrad();
                    Conv(x, weight, bias, c);
                },
                warmup: 2,
                reps);

            var xg = x.Clone().WithGrad();
            var wg = weight.Clone().WithGrad();
            var bg = bias.Clone().WithGrad();
            Tensor? gradOut = null;
            var backward = Timing.Measure(
                () =>
                {
                    xg.Grad = null;
                    wg.Grad = null;
                    bg.Grad = null;
                    var y = Conv(xg, wg, bg, c);
                    gradOut ??= y.OnesLike();
                    y.Backward(gradOut);
                },
                warmup: 2,
                reps);

            results.Add(new Measurement(ForwardKey(c), ForwardLabel(c), "ms", forward.BestMs, $"best of {forward.Reps}"));
            results.Add(new Measurement(BackwardKey(c), BackwardLabel(c), "ms", backward.BestMs, $"best of {backward.Reps}"));
            log.WriteLine($"tessera conv {c.Name,-12} fwd {forward.BestMs:F2} ms, fwd+bwd {backward.BestMs:F2} ms");
        }

        return results;
    }

    /// <summary>
    /// Why conv2d or max-pooling cannot run yet, or null when they can: until the convolution kernels are merged,
    /// <c>Tensor.Conv2d</c> and <c>Tensor.MaxPool2d</c> are placeholders that throw <see cref="NotSupportedException"/>.
    /// </summary>
    public static string? Unavailable()
    {
        try
        {
            var x = Tensor.Ones([1, 1, 4, 4]);
            _ = x.Conv2d(Tensor.Ones([1, 1, 3, 3]), null, (1, 1), (0, 0), (1, 1), 1);
            _ = x.MaxPool2d((2, 2), (2, 2), (0, 0));
            return null;
        }
        catch (NotSupportedException)
        {
            return "not available: Tensor.Conv2d / MaxPool2d are still placeholders (NotSupportedException)";
        }
    }

    private static Tensor Conv(Tensor x, Tensor weight, Tensor bias, ConvCase c)
        => x.Conv2d(weight, bias, (c.Stride, c.Stride), (c.Padding, c.Padding), (1, 1), 1);
}
