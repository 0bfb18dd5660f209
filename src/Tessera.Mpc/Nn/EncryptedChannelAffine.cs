namespace Tessera.Mpc.Nn;

/// <summary>
/// Encrypted batch norm in eval mode that no convolution or linear layer precedes: y = x s + t per channel (dimension 1)
/// with shared s = gamma / sqrt(var + eps) and t = beta - mean s, computed by the owner; one Beaver product and one
/// truncation (2 rounds).
/// </summary>
public sealed class EncryptedChannelAffine : EncryptedModule
{
    internal EncryptedChannelAffine(string name, EncryptedTensor scale, EncryptedTensor shift)
    {
        Name = name;
        Scale = scale;
        Shift = shift;
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>The encrypted per-channel scale, [C].</summary>
    public EncryptedTensor Scale { get; }

    /// <summary>The encrypted per-channel shift, [C].</summary>
    public EncryptedTensor Shift { get; }

    /// <inheritdoc/>
    public override async ValueTask<EncryptedTensor> ForwardAsync(EncryptedTensor input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2 || input.Shape[1] != Scale.Count)
        {
            throw new ArgumentException($"{Name} expects {Scale.Count} channels in dimension 1, got {Format(input.Shape)}.", nameof(input));
        }

        var perChannel = new[] { 1, Scale.Count }.Concat(Enumerable.Repeat(1, input.Rank - 2)).ToArray();
        var scaled = await input.MulAsync(Scale.Reshape(perChannel).Expand([.. input.Shape]), cancellationToken).ConfigureAwait(false);
        return scaled.Add(Shift.Reshape(perChannel).Expand([.. input.Shape]));
    }

    /// <inheritdoc/>
    public override IEnumerable<(string Name, EncryptedTensor Parameter)> NamedParameters() => [("scale", Scale), ("shift", Shift)];
}
