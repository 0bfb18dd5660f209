using Tessera.Mpc.Protocols;
using Tessera.Mpc.Sharing;

namespace Tessera.Mpc;

/// <content>
/// Reverse-mode autograd on encrypted tensors: a tape of <see cref="EncryptedGradNode"/>s like Tessera.Core's autograd,
/// but asynchronous, because backward products communicate. Gradients are encrypted tensors at the session's scale and
/// stay shared: nothing is revealed unless a caller decrypts a gradient.
/// </content>
public sealed partial class EncryptedTensor
{
    private static readonly AsyncLocal<bool> s_noGrad = new();

    private EncryptedGradNode? _node;

    /// <summary>True for the public constant 1 that seeds <see cref="BackwardAsync"/>: products with it are skipped.</summary>
    private bool _isPublicOne;

    /// <summary>Whether gradients flow to this tensor (set with <see cref="WithGrad"/>, or inherited from an input).</summary>
    public bool RequiresGrad { get; private set; }

    /// <summary>The accumulated encrypted gradient of a leaf after <see cref="BackwardAsync"/>; null before.</summary>
    public EncryptedTensor? Grad { get; private set; }

    /// <summary>Whether this tensor was made by the user rather than by a recorded operation.</summary>
    public bool IsLeaf => _node is null;

    /// <summary>Marks this leaf as a parameter whose gradient <see cref="BackwardAsync"/> accumulates.</summary>
    /// <returns>This tensor.</returns>
    /// <exception cref="InvalidOperationException">The tensor is not a leaf, or is not at the session's scale (comparison bits).</exception>
    public EncryptedTensor WithGrad()
    {
        if (!IsLeaf)
        {
            throw new InvalidOperationException("Only a leaf (a tensor not computed by a recorded operation) can be marked WithGrad.");
        }

        if (FractionalBits != Session.FractionalBits)
        {
            throw new InvalidOperationException(
                $"Gradients need the session's {Session.FractionalBits} fractional bits; this tensor has {FractionalBits}.");
        }

        RequiresGrad = true;
        return this;
    }

    /// <summary>Drops the accumulated gradient.</summary>
    public void ZeroGrad() => Grad = null;

    /// <summary>The same shares without the tape: gradients do not flow through the result. Local.</summary>
    /// <returns>A new leaf sharing this tensor's shares.</returns>
    public EncryptedTensor Detach() => new(Shares);

    /// <summary>
    /// Back-propagates from this tensor through the recorded operations, in reverse topological order, and accumulates
    /// the encrypted gradient of every leaf that requires one into its <see cref="Grad"/>. Every party must call it at the
    /// same point with the same tape. The backward products run with no recording.
    /// </summary>
    /// <param name="gradient">The gradient of the output, the same shape; null for a single-element output (public 1).</param>
    /// <param name="cancellationToken">Cancels the exchanges.</param>
    /// <returns>A task that completes when every gradient is accumulated.</returns>
    /// <exception cref="InvalidOperationException">This tensor does not require a gradient, or is not a scalar and no gradient was given.</exception>
    public async ValueTask BackwardAsync(EncryptedTensor? gradient = null, CancellationToken cancellationToken = default)
    {
        if (!RequiresGrad)
        {
            throw new InvalidOperationException("This tensor does not require a gradient (no input was marked WithGrad).");
        }

        if (gradient is null)
        {
            if (Count != 1)
            {
                throw new InvalidOperationException(
                    $"BackwardAsync without a gradient needs a single-element output; this one has shape [{string.Join(", ", ShapeArray)}].");
            }

            gradient = PublicOne(Session, ShapeArray);
        }
        else if (!gradient.ShapeArray.AsSpan().SequenceEqual(ShapeArray) || gradient.FractionalBits != Session.FractionalBits)
        {
            throw new ArgumentException(
                $"The gradient has shape [{string.Join(", ", gradient.ShapeArray)}] at {gradient.FractionalBits} bits; the output "
                + $"has [{string.Join(", ", ShapeArray)}] and gradients take {Session.FractionalBits}.",
                nameof(gradient));
        }

        var order = TopologicalOrder(this);
        var grads = new Dictionary<EncryptedTensor, EncryptedTensor>(ReferenceEqualityComparer.Instance) { [this] = gradient };
        s_noGrad.Value = true;
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            if (!grads.Remove(t, out var g))
            {
                continue;
            }

            if (t._node is null)
            {
                t.Grad = t.Grad is null ? Materialize(g) : new EncryptedTensor(ArithmeticLinear.Add(t.Grad.Shares, Materialize(g).Shares));
                continue;
            }

            var inputGrads = await t._node.Backward(g, cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < t._node.Inputs.Length; j++)
            {
                var input = t._node.Inputs[j];
                var ig = inputGrads[j];
                if (ig is null || !input.RequiresGrad)
                {
                    continue;
                }

                grads[input] = grads.TryGetValue(input, out var existing)
                    ? new EncryptedTensor(ArithmeticLinear.Add(Materialize(existing).Shares, Materialize(ig).Shares))
                    : ig;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> with recording off: nothing it computes joins the tape (an eval-mode forward). The
    /// switch is an async-local set inside this async method, so it reverts when the method returns.
    /// </summary>
    internal static async ValueTask<T> WithoutRecordingAsync<T>(Func<ValueTask<T>> body)
    {
        s_noGrad.Value = true;
        return await body().ConfigureAwait(false);
    }

    /// <summary>Attaches a backward function when an input requires a gradient (and recording is on).</summary>
    internal EncryptedTensor Record(
        string name, Func<EncryptedTensor, CancellationToken, ValueTask<EncryptedTensor?[]>> backward, params EncryptedTensor[] inputs)
    {
        if (!s_noGrad.Value && inputs.Any(i => i is not null && i.RequiresGrad))
        {
            RequiresGrad = true;
            _node = new EncryptedGradNode(name, inputs, backward);
        }

        return this;
    }

    /// <summary>Attaches a local (synchronous) backward function.</summary>
    internal EncryptedTensor Record(string name, Func<EncryptedTensor, EncryptedTensor?[]> backward, params EncryptedTensor[] inputs) =>
        Record(name, (g, _) => ValueTask.FromResult(backward(g)), inputs);

    /// <summary>g * local for the upstream gradient g of a single-element output (skipped when g is the public seed 1).</summary>
    internal static async ValueTask<EncryptedTensor> ScaleByUpstreamAsync(
        EncryptedTensor local, EncryptedTensor g, CancellationToken cancellationToken)
    {
        if (g._isPublicOne)
        {
            return local;
        }

        var expanded = new EncryptedTensor(new SharedTensor(
            local.Session, Enumerable.Repeat(g.Shares.Share[0], local.Count).ToArray(), local.ShapeArray, g.FractionalBits));
        return await local.MulAsync(expanded, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The public constant 1 at the session's scale (party 0 holds 2^f), flagged so products with it are skipped.</summary>
    private static EncryptedTensor PublicOne(MpcSession session, int[] shape)
    {
        var share = new ulong[ArithmeticSharing.CountOf(shape)];
        if (session.Rank == 0)
        {
            Array.Fill(share, 1UL << session.FractionalBits);
        }

        return new EncryptedTensor(new SharedTensor(session, share, shape, session.FractionalBits)) { _isPublicOne = true };
    }

    /// <summary>The seed's flag must not leak into accumulated gradients.</summary>
    private static EncryptedTensor Materialize(EncryptedTensor g) => g._isPublicOne ? new EncryptedTensor(g.Shares) : g;

    private static List<EncryptedTensor> TopologicalOrder(EncryptedTensor root)
    {
        var order = new List<EncryptedTensor>();
        var visited = new HashSet<EncryptedTensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(EncryptedTensor Tensor, int Next)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t._node?.Inputs ?? [];
            if (next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child.RequiresGrad && visited.Add(child))
                {
                    stack.Push((child, 0));
                }
            }
            else
            {
                order.Add(t);
            }
        }

        return order;
    }
}
