namespace Tessera.NN;

/// <summary>A loss: compares a prediction with a target and returns a differentiable tensor.</summary>
/// <param name="reduction">How per-element values are combined.</param>
public abstract class Loss(Reduction reduction)
{
    /// <summary>How per-element values are combined.</summary>
    public Reduction Reduction { get; } = reduction;

    /// <summary>Computes the loss.</summary>
    /// <param name="input">The prediction.</param>
    /// <param name="target">The target.</param>
    public abstract Tensor Forward(Tensor input, Tensor target);

    /// <summary>Applies <see cref="Reduction"/> to per-element losses.</summary>
    /// <param name="values">The per-element losses.</param>
    protected Tensor Reduce(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Reduction switch
        {
            Reduction.Mean => values.Mean(),
            Reduction.Sum => values.Sum(),
            _ => values,
        };
    }

    /// <summary>Checks that input and target have the same shape and dtype.</summary>
    /// <param name="input">The prediction.</param>
    /// <param name="target">The target.</param>
    protected void CheckSameShape(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.Shape.SequenceEqual(target.Shape) || input.DType != target.DType)
        {
            throw new ArgumentException(
                $"{GetType().Name}: input {input.DType} {ShapeHelpers.Format(input.Shape)} and target {target.DType} {ShapeHelpers.Format(target.Shape)} must have the same shape and dtype.");
        }

        input.RequireFloat(GetType().Name);
    }
}
