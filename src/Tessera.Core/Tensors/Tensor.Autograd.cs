
namespace Tessera;

public sealed partial class Tensor
{
    private bool _requiresGrad;

    /// <summary>Whether gradients flow to this tensor. Only floating-point tensors can require gradients.</summary>
    /// <exception cref="InvalidOperationException">Set on a non-floating tensor, or cleared on a non-leaf.</exception>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (value && !IsFloatingPoint)
            {
                throw new InvalidOperationException($"Only Float32 and Float64 tensors can require gradients, not {DType}.");
            }

            if (!value && GradFn is not null)
            {
                throw new InvalidOperationException("RequiresGrad can only be cleared on a leaf tensor; use Detach() instead.");
            }

            _requiresGrad = value;
        }
    }

    /// <summary>The accumulated gradient of a leaf tensor after <see cref="Backward"/>, or null.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>Whether this tensor was created by the user rather than recorded from an operation.</summary>
    public bool IsLeaf => GradFn is null;

    internal GradNode? GradFn { get; private set; }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, for fluent construction.</summary>
    /// <param name="requiresGrad">Whether gradients flow to this tensor.</param>
    public Tensor WithGrad(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>A tensor sharing this one's storage but cut from the graph: no gradient flows through it.</summary>
    public Tensor Detach() => new(Storage, DType, _shape, _strides, Offset);

    /// <summary>
    /// Computes the gradient of this tensor with respect to every leaf that requires gradients, and adds it to their
    /// <see cref="Grad"/>.
    /// </summary>
    /// <param name="gradient">The gradient of the final objective with respect to this tensor; omit it for a scalar.</param>
    /// <exception cref="InvalidOperationException">This tensor does not require gradients, or is not a scalar and no gradient was given.</exception>
    /// <exception cref="ArgumentException">The gradient's shape differs from this tensor's.</exception>
    public void Backward(Tensor? gradient = null)
    {
        if (!RequiresGrad)
        {
            throw new InvalidOperationException("Backward() needs a tensor that requires gradients; none of its inputs did.");
        }

        if (gradient is null)
        {
            if (Count != 1)
            {
                throw new InvalidOperationException(
                    $"Backward() without a gradient needs a scalar; this tensor has shape {ShapeHelpers.Format(_shape)}.");
            }

            gradient = OnesLike();
        }
        else if (!ShapeHelpers.SameShape(gradient.Shape, _shape))
        {
            throw new ArgumentException(
                $"The gradient's shape {ShapeHelpers.Format(gradient.Shape)} differs from the tensor's {ShapeHelpers.Format(_shape)}.",
                nameof(gradient));
        }

        using var _ = Autograd.NoGrad();
        var order = TopologicalOrder(this);
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance) { [this] = gradient.To(DType) };
        foreach (var node in order)
        {
            if (!grads.Remove(node, out var g))
            {
                continue;
            }

            if (node.GradFn is null)
            {
                // The leaf owns its gradient: copy unless Contiguous() already made a fresh tensor.
                var owned = g.IsContiguous ? g.Clone() : g.Contiguous();
                node.Grad = node.Grad is null ? owned : node.Grad.Add(owned);
                continue;
            }

            var inputGrads = node.GradFn.Backward(g);
            for (var i = 0; i < node.GradFn.Inputs.Length; i++)
            {
                var input = node.GradFn.Inputs[i];
                var ig = inputGrads[i];
                if (ig is null || !input.RequiresGrad)
                {
                    continue;
                }

                if (!ShapeHelpers.SameShape(ig.Shape, input.Shape))
                {
                    throw new InvalidOperationException(
                        $"Internal error: {node.GradFn.Name} produced a gradient of shape {ShapeHelpers.Format(ig.Shape)} "
                        + $"for an input of shape {ShapeHelpers.Format(input.Shape)}.");
                }

                grads[input] = grads.TryGetValue(input, out var existing) ? existing.Add(ig) : ig;
            }
        }
    }

    /// <summary>Records <paramref name="backward"/> as the way gradients reach <paramref name="inputs"/> from this result.</summary>
    internal Tensor Record(string name, Func<Tensor, Tensor?[]> backward, params Tensor[] inputs)
    {
        if (!Autograd.IsEnabled)
        {
            return this;
        }

        foreach (var input in inputs)
        {
            if (input.RequiresGrad)
            {
                GradFn = new GradNode(name, inputs, backward);
                _requiresGrad = true;
                return this;
            }
        }

        return this;
    }

    /// <summary>Whether an operation on <paramref name="a"/> would record a gradient now.</summary>
    internal static bool NeedsGrad(Tensor a) => a.RequiresGrad && Autograd.IsEnabled;

    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var postOrder = new List<Tensor>();
        var stack = new Stack<(Tensor Node, int Next)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            var inputs = node.GradFn?.Inputs ?? [];
            if (next < inputs.Length)
            {
                stack.Push((node, next + 1));
                var child = inputs[next];
                if (child.RequiresGrad && visited.Add(child))
                {
                    stack.Push((child, 0));
                }
            }
            else
            {
                postOrder.Add(node);
            }
        }

        postOrder.Reverse();
        return postOrder;
    }
}
