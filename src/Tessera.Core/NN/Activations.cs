using System.Text.Json.Nodes;

namespace Tessera.NN;

/// <summary>max(x, 0).</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Relu();

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("ReLU");
}

/// <summary>x for x &gt; 0, slope * x otherwise.</summary>
/// <param name="negativeSlope">The slope for negative inputs.</param>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module
{
    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; } = double.IsFinite(negativeSlope) ? negativeSlope
        : throw new ArgumentOutOfRangeException(nameof(negativeSlope), "The slope must be finite.");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("LeakyReLU", new JsonObject { ["negativeSlope"] = NegativeSlope });
}

/// <summary>1 / (1 + e^-x).</summary>
public sealed class Sigmoid : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Sigmoid();

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("Sigmoid");
}

/// <summary>tanh(x).</summary>
public sealed class Tanh : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Tanh();

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("Tanh");
}

/// <summary>GELU, exact erf form.</summary>
public sealed class GELU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Gelu();

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("GELU");
}

/// <summary>Softmax along a dimension.</summary>
/// <param name="dim">The dimension.</param>
public sealed class Softmax(int dim = -1) : Module
{
    /// <summary>The dimension.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Softmax(Dim);

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("Softmax", new JsonObject { ["dim"] = Dim });
}

/// <summary>Log-softmax along a dimension.</summary>
/// <param name="dim">The dimension.</param>
public sealed class LogSoftmax(int dim = -1) : Module
{
    /// <summary>The dimension.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LogSoftmax(Dim);

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("LogSoftmax", new JsonObject { ["dim"] = Dim });
}

/// <summary>Flattens dimensions startDim..endDim (by default all but the batch dimension).</summary>
/// <param name="startDim">The first dimension to flatten.</param>
/// <param name="endDim">The last dimension to flatten.</param>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module
{
    /// <summary>The first dimension to flatten.</summary>
    public int StartDim { get; } = startDim;

    /// <summary>The last dimension to flatten.</summary>
    public int EndDim { get; } = endDim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("Flatten", new JsonObject { ["startDim"] = StartDim, ["endDim"] = EndDim });
}
