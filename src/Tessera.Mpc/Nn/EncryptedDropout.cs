namespace Tessera.Mpc.Nn;

/// <summary>
/// Encrypted <see cref="Tessera.NN.Dropout"/>: the identity in eval mode; in training mode each element is kept with
/// probability 1 - p and scaled by 1 / (1 - p), as Core's Dropout does. The mask comes from the session's common random
/// stream (<see cref="MpcSession.CommonRandomAsync"/>: every party draws the same, no party chooses it), so it is public
/// to the computing parties; it depends on nothing but randomness and says nothing about the data. The product with the
/// public scale is local plus one truncation (1 round), and so is its backward pass.
/// </summary>
public sealed class EncryptedDropout : EncryptedModule
{
    private readonly MpcSession _session;
    private readonly Func<bool> _training;

    internal EncryptedDropout(MpcSession session, double p, Func<bool> training)
    {
        _session = session;
        _training = training;
        P = p;
    }

    /// <summary>The probability of dropping an element.</summary>
    public double P { get; }

    /// <inheritdoc/>
    public override string Name => $"Dropout({P})";

    /// <inheritdoc/>
    public override async ValueTask<EncryptedTensor> ForwardAsync(EncryptedTensor input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!_training() || P == 0)
        {
            return input;
        }

        var stream = await _session.CommonRandomAsync(cancellationToken).ConfigureAwait(false);
        var draws = stream.Next(input.Count);
        var kept = 1 / (1 - P);
        var scale = new double[draws.Length];
        for (var i = 0; i < draws.Length; i++)
        {
            // A uniform double in [0, 1) from the top 53 bits; keep with probability 1 - p.
            scale[i] = Math.ScaleB(draws[i] >> 11, -53) >= P ? kept : 0;
        }

        return await input.MulAsync(Tensor.FromArray(scale, [.. input.Shape]), cancellationToken).ConfigureAwait(false);
    }
}
