using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Tessera.NN;

/// <summary>
/// Rebuilds modules from specs through a fixed allow-list of module types. Nothing outside the list can be built, and
/// no .NET type name is ever read from a spec.
/// </summary>
public static class ModuleFactory
{
    /// <summary>The largest number of parameters a rebuilt model may have (guards nodes against absurd specs).</summary>
    public const long MaxParameters = 200_000_000;

    /// <summary>The largest size of any one dimension a spec may ask for.</summary>
    public const int MaxDimension = 1 << 20;

    private const int MaxDepth = 32;

    private static readonly FrozenDictionary<string, Func<ModuleSpec, IRandomSource, int, Module>> Builders =
        new Dictionary<string, Func<ModuleSpec, IRandomSource, int, Module>>(StringComparer.Ordinal)
        {
            ["Linear"] = (s, r, _) => new Linear(Dim(s, "inFeatures"), Dim(s, "outFeatures"), s.GetBool("bias", true), r),
            ["Conv2d"] = (s, r, _) => new Conv2d(Dim(s, "inChannels"), Dim(s, "outChannels"), Pair(s, "kernelSize", null),
                Pair(s, "stride", 1), Pair(s, "padding", 0, allowZero: true), Pair(s, "dilation", 1), Dim(s, "groups", 1), s.GetBool("bias", true), r),
            ["MaxPool2d"] = (s, _, _) => new MaxPool2d(Pair(s, "kernelSize", null), Pair(s, "stride", null), Pair(s, "padding", 0, allowZero: true)),
            ["AvgPool2d"] = (s, _, _) => new AvgPool2d(Pair(s, "kernelSize", null), Pair(s, "stride", null), Pair(s, "padding", 0, allowZero: true)),
            ["BatchNorm1d"] = (s, _, _) => new BatchNorm1d(Dim(s, "numFeatures"), s.GetDouble("eps", 1e-5), s.GetDouble("momentum", 0.1), s.GetBool("affine", true)),
            ["BatchNorm2d"] = (s, _, _) => new BatchNorm2d(Dim(s, "numFeatures"), s.GetDouble("eps", 1e-5), s.GetDouble("momentum", 0.1), s.GetBool("affine", true)),
            ["LayerNorm"] = (s, _, _) => new LayerNorm(Dims(s, "normalizedShape"), s.GetDouble("eps", 1e-5), s.GetBool("elementwiseAffine", true)),
            ["Dropout"] = (s, r, _) => new Dropout(s.GetDouble("p", 0.5), r),
            ["Flatten"] = (s, _, _) => new Flatten(s.GetInt("startDim", 1), s.GetInt("endDim", -1)),
            ["Embedding"] = (s, r, _) => new Embedding(Dim(s, "numEmbeddings"), Dim(s, "embeddingDim"), r),
            ["ReLU"] = (_, _, _) => new ReLU(),
            ["LeakyReLU"] = (s, _, _) => new LeakyReLU(s.GetDouble("negativeSlope", 0.01)),
            ["Sigmoid"] = (_, _, _) => new Sigmoid(),
            ["Tanh"] = (_, _, _) => new Tanh(),
            ["GELU"] = (_, _, _) => new GELU(),
            ["Softmax"] = (s, _, _) => new Softmax(s.GetInt("dim", -1)),
            ["LogSoftmax"] = (s, _, _) => new LogSoftmax(s.GetInt("dim", -1)),
            ["Sequential"] = (s, r, depth) => new Sequential([.. (s.Children ?? []).Select(c => Build(c, r, depth + 1))]),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The module type names that can be built.</summary>
    public static IReadOnlyCollection<string> AllowedTypes => Builders.Keys;

    /// <summary>Builds a module (with freshly initialised weights) from a spec.</summary>
    /// <param name="spec">The spec.</param>
    /// <param name="random">Initialisation randomness; a fresh OS-seeded source when null.</param>
    /// <exception cref="ArgumentException">The spec names a type outside the allow-list, has bad options, or is too large.</exception>
    public static Module Create(ModuleSpec spec, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        CheckSize(spec, 0);
        var module = Build(spec, random ?? Init.DefaultRandom(), 0);
        return module;
    }

    /// <summary>Builds a module from spec JSON.</summary>
    /// <param name="json">The spec as JSON.</param>
    /// <param name="random">Initialisation randomness.</param>
    /// <exception cref="FormatException">The JSON is not a spec.</exception>
    /// <exception cref="ArgumentException">The spec is not allowed or invalid.</exception>
    public static Module FromJson(string json, IRandomSource? random = null) => Create(ModuleSpec.FromJson(json), random);

    private static Module Build(ModuleSpec spec, IRandomSource random, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"The module spec nests deeper than {MaxDepth} levels.");
        }

        if (!Builders.TryGetValue(spec.Type, out var build))
        {
            throw new ArgumentException(
                $"Module type '{Truncate(spec.Type)}' is not allowed. Allowed types: {string.Join(", ", Builders.Keys.Order(StringComparer.Ordinal))}.");
        }

        if (spec.Type != "Sequential" && spec.Children is { Count: > 0 })
        {
            throw new ArgumentException($"{spec.Type} takes no children.");
        }

        try
        {
            return build(spec, random, depth);
        }
        catch (ArgumentException ex) when (!ex.Message.StartsWith(spec.Type, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{spec.Type}: {ex.Message}", ex);
        }
    }

    /// <summary>Estimates the parameter count before allocating anything, so an absurd spec fails without using memory.</summary>
    private static long CheckSize(ModuleSpec spec, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"The module spec nests deeper than {MaxDepth} levels.");
        }

        long count = spec.Type switch
        {
            "Linear" => ((long)Dim(spec, "inFeatures") * Dim(spec, "outFeatures")) + Dim(spec, "outFeatures"),
            "Conv2d" => ((long)Dim(spec, "inChannels") / Dim(spec, "groups", 1) * Dim(spec, "outChannels")
                * Pair(spec, "kernelSize", null).Item1 * Pair(spec, "kernelSize", null).Item2) + Dim(spec, "outChannels"),
            "Embedding" => (long)Dim(spec, "numEmbeddings") * Dim(spec, "embeddingDim"),
            "Sequential" => (spec.Children ?? []).Sum(c => CheckSize(c, depth + 1)),
            _ => 0,
        };
        if (count > MaxParameters)
        {
            throw new ArgumentException($"The module spec asks for {count} parameters; the limit is {MaxParameters}.");
        }

        return count;
    }

    private static int Dim(ModuleSpec spec, string name, int? defaultValue = null)
    {
        var v = spec.GetInt(name, defaultValue);
        if (v <= 0 || v > MaxDimension)
        {
            throw new ArgumentException($"{spec.Type}: '{name}' must be in 1..{MaxDimension}, got {v}.");
        }

        return v;
    }

    private static int[] Dims(ModuleSpec spec, string name)
    {
        if (spec.Options?[name] is not JsonArray array || array.Count is 0 or > 8)
        {
            throw new ArgumentException($"{spec.Type}: '{name}' must be an array of 1 to 8 sizes.");
        }

        return [.. array.Select(n => n is JsonValue v && v.TryGetValue<int>(out var i) && i > 0 && i <= MaxDimension ? i
            : throw new ArgumentException($"{spec.Type}: '{name}' must hold sizes in 1..{MaxDimension}."))];
    }

    /// <summary>An option that is either one integer or a pair [h, w].</summary>
    private static (int, int) Pair(ModuleSpec spec, string name, int? defaultValue, bool allowZero = false)
    {
        var node = spec.Options?[name];
        int a;
        int b;
        if (node is null && defaultValue is null && name == "stride")
        {
            // Pooling: stride defaults to the kernel size.
            return Pair(spec, "kernelSize", null);
        }

        if (node is null)
        {
            a = b = defaultValue ?? throw new ArgumentException($"{spec.Type}: the option '{name}' is required.");
        }
        else if (node is JsonArray { Count: 2 } array
            && array[0] is JsonValue v0 && v0.TryGetValue(out a) && array[1] is JsonValue v1 && v1.TryGetValue(out b))
        {
        }
        else if (node is JsonValue v && v.TryGetValue(out a))
        {
            b = a;
        }
        else
        {
            throw new ArgumentException($"{spec.Type}: '{name}' must be an integer or a pair of integers.");
        }

        var min = allowZero ? 0 : 1;
        if (a < min || b < min || a > 4096 || b > 4096)
        {
            throw new ArgumentException($"{spec.Type}: '{name}' must be in {min}..4096, got ({a}, {b}).");
        }

        return (a, b);
    }

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "...";
}
