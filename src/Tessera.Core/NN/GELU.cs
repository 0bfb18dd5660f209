namespace Tessera.NN;

/// <summary>GELU, exact erf form.</summary>
public sealed class GELU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Gelu();

    /// <inheritdoc/>
    public override ModuleSpec ToSpec() => new("GELU");
}
