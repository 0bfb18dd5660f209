using Tessera.NN;

namespace Tessera.Mpc.Nn;

/// <summary>
/// Walks a module tree (the owner's trained module, or on the other parties one rebuilt from the public spec with
/// meaningless weights) and encrypts its parameters from the owner, layer by layer in the same order on every party.
/// </summary>
internal sealed class EncryptedModelBuilder(MpcSession session, int owner, Func<bool> training, EncryptedModelOptions options)
{
    /// <summary>The layer types encrypted inference supports.</summary>
    public static readonly string[] Supported =
        ["Sequential", "Linear", "Conv2d", "ReLU", "MaxPool2d", "AvgPool2d", "Flatten", "BatchNorm1d", "BatchNorm2d", "Dropout"];

    private bool IsOwner => session.Rank == owner;

    /// <summary>Throws <see cref="NotSupportedException"/> naming the first layer encrypted inference cannot run.</summary>
    public static void Validate(Module module, string path = "model")
    {
        var type = module.GetType().Name;
        if (!Supported.Contains(type) || module.GetType().Namespace != typeof(Linear).Namespace)
        {
            throw new NotSupportedException(
                $"Encrypted inference does not support layer '{path}' ({type}); supported: {string.Join(", ", Supported)}.");
        }

        switch (module)
        {
            case Sequential sequential:
                for (var i = 0; i < sequential.Layers.Count; i++)
                {
                    Validate(sequential.Layers[i], $"{path}.{i}");
                }

                break;
            case Conv2d conv when conv.Groups != 1 || conv.Dilation != (1, 1) || conv.Stride.Height != conv.Stride.Width
                || conv.Padding.Height != conv.Padding.Width:
                throw new NotSupportedException(
                    $"Encrypted inference does not support layer '{path}' (Conv2d with groups {conv.Groups}, dilation "
                    + $"{conv.Dilation}, stride {conv.Stride}, padding {conv.Padding}); it needs one group, dilation 1 and "
                    + "equal stride and padding in both directions.");
            default:
                break;
        }
    }

    public EncryptedModule Build(Module module, string path)
    {
        switch (module)
        {
            case Sequential sequential:
                return BuildSequential(sequential, path);
            case Linear linear:
                return BuildLinear(linear, null);
            case Conv2d conv:
                return BuildConv(conv, null);
            case ReLU:
                return new EncryptedReLU();
            case MaxPool2d max:
                return new EncryptedMaxPool2d(max.KernelSize, max.Stride, max.Padding);
            case AvgPool2d avg:
                return new EncryptedAvgPool2d(avg.KernelSize, avg.Stride, avg.Padding);
            case Flatten flatten:
                return new EncryptedFlatten(flatten.StartDim, flatten.EndDim);
            case Dropout dropout:
                return new EncryptedDropout(session, dropout.P, training);
            case BatchNorm norm when options.FoldBatchNorm:
                return BuildAffine(norm, path);
            case BatchNorm norm:
                return BuildBatchNorm(norm);
            default:
                Validate(module, path);
                throw new NotSupportedException($"Encrypted inference does not support layer '{path}' ({module.GetType().Name}).");
        }
    }

    private EncryptedSequential BuildSequential(Sequential sequential, string path)
    {
        var layers = new List<(string, EncryptedModule)>();
        var children = sequential.Layers;
        for (var i = 0; i < children.Count; i++)
        {
            var child = children[i];
            var next = i + 1 < children.Count && options.FoldBatchNorm ? children[i + 1] as BatchNorm : null;
            var childPath = $"{path}.{i}";
            if (next is not null && child is Linear linear && next.NumFeatures == linear.OutFeatures)
            {
                layers.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), BuildLinear(linear, next)));
                i++;
            }
            else if (next is not null && child is Conv2d conv && next.NumFeatures == conv.OutChannels)
            {
                layers.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), BuildConv(conv, next)));
                i++;
            }
            else
            {
                layers.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), Build(child, childPath)));
            }
        }

        return new EncryptedSequential(layers);
    }

    private EncryptedLinear BuildLinear(Linear linear, BatchNorm? norm)
    {
        var (weight, bias) = Fold(linear.Weight, linear.Bias, norm);
        var w = Encrypt(weight, linear.OutFeatures, linear.InFeatures);
        var b = linear.Bias is null && norm is null ? null : Encrypt(bias, linear.OutFeatures);
        return new EncryptedLinear(w, b);
    }

    private EncryptedConv2d BuildConv(Conv2d conv, BatchNorm? norm)
    {
        var (weight, bias) = Fold(conv.Weight, conv.Bias, norm);
        var shape = conv.Weight.ShapeToArray();
        var w = Encrypt(weight, shape);
        var b = conv.Bias is null && norm is null ? null : Encrypt(bias, conv.OutChannels);
        return new EncryptedConv2d(w, b, conv.Stride.Height, conv.Padding.Height);
    }

    private EncryptedChannelAffine BuildAffine(BatchNorm norm, string path)
    {
        Tensor? scale = null;
        Tensor? shift = null;
        if (IsOwner)
        {
            var (s, t) = NormCoefficients(norm);
            scale = Tensor.FromArray(s, s.Length);
            shift = Tensor.FromArray(t, t.Length);
        }

        return new EncryptedChannelAffine(
            $"{norm.GetType().Name}({norm.NumFeatures}) (eval mode) at '{path}'",
            Encrypt(scale, norm.NumFeatures), Encrypt(shift, norm.NumFeatures));
    }

    private EncryptedBatchNorm BuildBatchNorm(BatchNorm norm)
    {
        var c = norm.NumFeatures;
        var affine = norm.Weight is not null && norm.Bias is not null;
        var weight = affine ? Encrypt(norm.Weight, c) : null;
        var bias = affine ? Encrypt(norm.Bias, c) : null;
        var ranks = norm is BatchNorm2d ? new[] { 4 } : [2, 3];
        return new EncryptedBatchNorm(
            norm.GetType().Name, ranks, c, norm.Eps, norm.Momentum, weight, bias, Encrypt(norm.RunningMean, c), Encrypt(norm.RunningVar, c),
            training, options.BatchNormInverseSqrt);
    }

    /// <summary>On the owner: the weight scaled per output by the norm's s and the bias b s + t (b = 0 when absent).</summary>
    private (Tensor? Weight, Tensor? Bias) Fold(Tensor weight, Tensor? bias, BatchNorm? norm)
    {
        if (!IsOwner)
        {
            return (null, null);
        }

        if (norm is null)
        {
            return (weight, bias);
        }

        var (s, t) = NormCoefficients(norm);
        var w = weight.To(DType.Float64).Contiguous().ToArray<double>();
        var per = w.Length / s.Length;
        for (var i = 0; i < w.Length; i++)
        {
            w[i] *= s[i / per];
        }

        var b = bias is null ? new double[s.Length] : bias.To(DType.Float64).Contiguous().ToArray<double>();
        for (var o = 0; o < s.Length; o++)
        {
            b[o] = (b[o] * s[o]) + t[o];
        }

        return (Tensor.FromArray(w, weight.ShapeToArray()), Tensor.FromArray(b, s.Length));
    }

    private static (double[] Scale, double[] Shift) NormCoefficients(BatchNorm norm)
    {
        var mean = norm.RunningMean.To(DType.Float64).Contiguous().ToArray<double>();
        var variance = norm.RunningVar.To(DType.Float64).Contiguous().ToArray<double>();
        var gamma = norm.Weight?.To(DType.Float64).Contiguous().ToArray<double>();
        var beta = norm.Bias?.To(DType.Float64).Contiguous().ToArray<double>();
        var scale = new double[mean.Length];
        var shift = new double[mean.Length];
        for (var c = 0; c < mean.Length; c++)
        {
            scale[c] = (gamma?[c] ?? 1.0) / Math.Sqrt(variance[c] + norm.Eps);
            shift[c] = (beta?[c] ?? 0.0) - (mean[c] * scale[c]);
        }

        return (scale, shift);
    }

    private EncryptedTensor Encrypt(Tensor? value, params int[] shape) =>
        EncryptedTensor.Encrypt(session, owner, IsOwner ? value!.Contiguous() : null, shape);
}
