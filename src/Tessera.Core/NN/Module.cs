namespace Tessera.NN;

/// <summary>
/// A neural-network building block with named parameters, buffers and child modules, a training/evaluation mode, and a
/// spec that describes it so it can be rebuilt from an allow-list (see <see cref="ModuleFactory"/>).
/// </summary>
/// <remarks>Not thread-safe: one thread trains a module at a time.</remarks>
public abstract class Module
{
    private readonly List<(string Name, Tensor Value)> _parameters = [];
    private readonly List<(string Name, Tensor Value)> _buffers = [];
    private readonly List<(string Name, Module Value)> _children = [];

    /// <summary>Whether the module is in training mode (dropout active, batch norm using batch statistics).</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Computes the module's output.</summary>
    /// <param name="input">The input tensor.</param>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Describes this module as a spec: its type name, hyper-parameters and children.</summary>
    public abstract ModuleSpec ToSpec();

    /// <summary>Sets training mode on this module and every descendant.</summary>
    /// <param name="training">True for training, false for evaluation.</param>
    /// <returns>This module.</returns>
    public Module Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in _children)
        {
            child.Train(training);
        }

        return this;
    }

    /// <summary>Sets evaluation mode on this module and every descendant.</summary>
    /// <returns>This module.</returns>
    public Module Eval() => Train(false);

    /// <summary>Every parameter, depth first, with dotted names such as <c>0.weight</c>.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() => Named(m => m._parameters);

    /// <summary>Every buffer (non-learned state such as running statistics), with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers() => Named(m => m._buffers);

    /// <summary>Every parameter, depth first.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>The direct children with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children;

    /// <summary>The number of scalar parameters.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Count);

    /// <summary>Clears the gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters())
        {
            p.Grad = null;
        }
    }

    /// <summary>Every parameter and buffer by dotted name, sharing storage with the module.</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, p) in NamedParameters())
        {
            state[name] = p.Detach();
        }

        foreach (var (name, b) in NamedBuffers())
        {
            state[name] = b;
        }

        return state;
    }

    /// <summary>Copies values into the parameters and buffers by name.</summary>
    /// <param name="state">Tensors by dotted name, with matching shapes; converted to each parameter's dtype.</param>
    /// <param name="strict">Whether missing or unexpected names are errors.</param>
    /// <exception cref="ArgumentException">A shape differs, or (when strict) a name is missing or unexpected.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        if (strict)
        {
            var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
            var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
            if (missing.Count > 0 || unexpected.Count > 0)
            {
                throw new ArgumentException(
                    $"LoadStateDict: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}].", nameof(state));
            }
        }

        // Check every shape before copying anything, so a bad state leaves the module as it was.
        foreach (var (name, value) in state)
        {
            if (own.TryGetValue(name, out var target) && !target.Shape.SequenceEqual(value.Shape))
            {
                throw new ArgumentException(
                    $"LoadStateDict: '{name}' has shape {ShapeHelpers.Format(value.Shape)}, the module expects {ShapeHelpers.Format(target.Shape)}.",
                    nameof(state));
            }
        }

        foreach (var (name, value) in state)
        {
            if (own.TryGetValue(name, out var target))
            {
                target.CopyFrom(value.Detach().To(target.DType));
            }
        }
    }

    /// <summary>Applies the module: the same as <see cref="Forward"/>.</summary>
    /// <param name="input">The input tensor.</param>
    public Tensor Call(Tensor input) => Forward(input);

    /// <summary>Registers a learnable parameter (made to require gradients).</summary>
    /// <param name="name">The name, unique within this module.</param>
    /// <param name="value">The initial value; floating point.</param>
    protected Tensor RegisterParameter(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckName(name);
        value.RequiresGrad = true;
        _parameters.Add((name, value));
        return value;
    }

    /// <summary>Registers a buffer: state saved with the module but not learned.</summary>
    /// <param name="name">The name, unique within this module.</param>
    /// <param name="value">The initial value.</param>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckName(name);
        _buffers.Add((name, value));
        return value;
    }

    /// <summary>Registers a child module.</summary>
    /// <param name="name">The name, unique within this module.</param>
    /// <param name="module">The child.</param>
    protected TModule RegisterModule<TModule>(string name, TModule module)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name);
        _children.Add((name, module));
        return module;
    }

    private IEnumerable<(string, Tensor)> Named(Func<Module, List<(string Name, Tensor Value)>> select)
    {
        foreach (var (name, value) in select(this))
        {
            yield return (name, value);
        }

        foreach (var (childName, child) in _children)
        {
            foreach (var (name, value) in child.Named(select))
            {
                yield return ($"{childName}.{name}", value);
            }
        }
    }

    private void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.', StringComparison.Ordinal)
            || _parameters.Any(p => p.Name == name) || _buffers.Any(b => b.Name == name) || _children.Any(c => c.Name == name))
        {
            throw new ArgumentException($"'{name}' is already registered or contains a dot.", nameof(name));
        }
    }
}
