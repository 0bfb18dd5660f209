using System.Text.Json.Nodes;

namespace Tessera.NN;

/// <summary>2-D convolution over [N, C, H, W] inputs with PyTorch's default initialisation.</summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="inChannels">Input channels; positive and divisible by <paramref name="groups"/>.</param>
    /// <param name="outChannels">Output channels; positive and divisible by <paramref name="groups"/>.</param>
    /// <param name="kernelSize">Kernel height and width.</param>
    /// <param name="stride">Stride (height, width).</param>
    /// <param name="padding">Zero padding (height, width).</param>
    /// <param name="dilation">Dilation (height, width).</param>
    /// <param name="groups">Channel groups.</param>
    /// <param name="bias">Whether to learn a bias.</param>
    /// <param name="random">Initialisation randomness; a fresh OS-seeded source when null.</param>
    public Conv2d(int inChannels, int outChannels, (int Height, int Width) kernelSize, (int Height, int Width)? stride = null,
        (int Height, int Width)? padding = null, (int Height, int Width)? dilation = null, int groups = 1, bool bias = true,
        IRandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize.Height, nameof(kernelSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize.Width, nameof(kernelSize));
        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"Conv2d: channels {inChannels} -> {outChannels} are not divisible by groups {groups}.", nameof(groups));
        }

        random ??= Init.DefaultRandom();
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride ?? (1, 1);
        Padding = padding ?? (0, 0);
        Dilation = dilation ?? (1, 1);
        Groups = groups;
        var fanIn = inChannels / groups * kernelSize.Height * kernelSize.Width;
        Weight = RegisterParameter("weight",
            Init.KaimingUniformDefault([outChannels, inChannels / groups, kernelSize.Height, kernelSize.Width], fanIn, random));
        if (bias)
        {
            Bias = RegisterParameter("bias", Init.Uniform([outChannels], 1.0 / Math.Sqrt(fanIn), random));
        }
    }

    /// <summary>Creates a layer with a square kernel.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Kernel size.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="padding">Zero padding.</param>
    /// <param name="random">Initialisation randomness.</param>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, IRandomSource? random = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), random: random)
    {
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel size.</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>Stride.</summary>
    public (int Height, int Width) Stride { get; }

    /// <summary>Zero padding.</summary>
    public (int Height, int Width) Padding { get; }

    /// <summary>Dilation.</summary>
    public (int Height, int Width) Dilation { get; }

    /// <summary>Channel groups.</summary>
    public int Groups { get; }

    /// <summary>The weight, [out, in / groups, kh, kw].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, [out], or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Conv2d(Weight, Bias, Stride, Padding, Dilation, Groups);
    }

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("Conv2d", new JsonObject
    {
        ["inChannels"] = InChannels,
        ["outChannels"] = OutChannels,
        ["kernelSize"] = SpecPairs.ToJson(KernelSize),
        ["stride"] = SpecPairs.ToJson(Stride),
        ["padding"] = SpecPairs.ToJson(Padding),
        ["dilation"] = SpecPairs.ToJson(Dilation),
        ["groups"] = Groups,
        ["bias"] = Bias is not null,
    });
}
