using Tessera.Mpc.Protocols;
using Tessera.Mpc.Sharing;

namespace Tessera.Mpc.Learning;

/// <summary>
/// Plain SGD on encrypted parameters: p &lt;- p - lr grad for every parameter with a gradient. The learning rate is a
/// public scalar encoded at <see cref="EncryptedTensor.ScaleBits"/> bits; all parameters' updates are truncated together
/// (one round, one truncation pair per element). Gradients and parameters stay shared; nothing is revealed.
/// </summary>
public sealed class EncryptedSgd
{
    private readonly EncryptedTensor[] _parameters;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">Encrypted leaves marked WithGrad, in the same order on every party.</param>
    /// <param name="learningRate">The public learning rate, positive and below 2^14.</param>
    /// <exception cref="ArgumentException">No parameters, or one that does not require a gradient.</exception>
    public EncryptedSgd(IEnumerable<EncryptedTensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        if (_parameters.Length == 0 || _parameters.Any(p => p is null || !p.RequiresGrad || !p.IsLeaf))
        {
            throw new ArgumentException("SGD needs at least one parameter, each a leaf marked WithGrad.", nameof(parameters));
        }

        if (!double.IsFinite(learningRate) || learningRate <= 0 || learningRate >= 1 << 14)
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive and below 2^14.");
        }

        if ((long)Math.Round(Math.ScaleB(learningRate, EncryptedTensor.ScaleBits)) < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(learningRate), learningRate, $"The learning rate is below 2^-{EncryptedTensor.ScaleBits}.");
        }

        LearningRate = learningRate;
    }

    /// <summary>Creates the optimizer over every parameter of <paramref name="model"/>, which must be in training mode.</summary>
    /// <param name="model">An encrypted model after <see cref="Nn.EncryptedModel.Train"/>.</param>
    /// <param name="learningRate">The public learning rate, positive and below 2^14.</param>
    /// <exception cref="InvalidOperationException">The model is not in training mode.</exception>
    public EncryptedSgd(Nn.EncryptedModel model, double learningRate)
        : this(RequireTraining(model).Parameters(), learningRate)
    {
    }

    /// <summary>The public learning rate.</summary>
    public double LearningRate { get; }

    /// <summary>The parameters, in update order.</summary>
    public IReadOnlyList<EncryptedTensor> Parameters => _parameters;

    /// <summary>Subtracts lr grad from every parameter that has a gradient, in place; 1 round.</summary>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>A task that completes when the parameters are updated.</returns>
    public async ValueTask StepAsync(CancellationToken cancellationToken = default)
    {
        var withGrad = _parameters.Where(p => p.Grad is not null).ToArray();
        if (withGrad.Length == 0)
        {
            return;
        }

        var session = withGrad[0].Session;
        var f = session.FractionalBits;
        var factor = unchecked((ulong)(long)Math.Round(Math.ScaleB(LearningRate, EncryptedTensor.ScaleBits)));
        var all = new ulong[withGrad.Sum(p => p.Count)];
        var offset = 0;
        foreach (var p in withGrad)
        {
            var g = p.Grad!.Shares.Share;
            for (var i = 0; i < g.Length; i++)
            {
                all[offset + i] = unchecked(g[i] * factor);
            }

            offset += g.Length;
        }

        var scaled = new SharedTensor(session, all, [all.Length], f + EncryptedTensor.ScaleBits);
        var update = await session.TruncateAsync(scaled, EncryptedTensor.ScaleBits, cancellationToken).ConfigureAwait(false);
        offset = 0;
        foreach (var p in withGrad)
        {
            var share = p.Shares.Share;
            for (var i = 0; i < share.Length; i++)
            {
                share[i] = unchecked(share[i] - update.Share[offset + i]);
            }

            offset += share.Length;
        }
    }

    private static Nn.EncryptedModel RequireTraining(Nn.EncryptedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.IsTraining
            ? model
            : throw new InvalidOperationException("The model is in eval mode; call Train() before creating its optimizer.");
    }

    /// <summary>Drops every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            p.ZeroGrad();
        }
    }
}
