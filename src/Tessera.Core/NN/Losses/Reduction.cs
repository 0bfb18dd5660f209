namespace Tessera.NN;

/// <summary>How a loss combines per-element values.</summary>
public enum Reduction
{
    /// <summary>The mean over elements (over the batch for class losses).</summary>
    Mean,

    /// <summary>The sum.</summary>
    Sum,

    /// <summary>No reduction: one value per element (per sample for class losses).</summary>
    None,
}
