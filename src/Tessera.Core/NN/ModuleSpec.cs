using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Tessera.NN;

/// <summary>
/// A module described as data: a type name from the allow-list, its hyper-parameters, and its children. Nodes rebuild
/// models from specs with <see cref="ModuleFactory"/>; no .NET type name ever travels.
/// </summary>
public sealed record ModuleSpec
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        MaxDepth = 64,
    };

    /// <summary>Creates a spec.</summary>
    /// <param name="type">The module type name, such as <c>Linear</c>.</param>
    /// <param name="options">The hyper-parameters by name.</param>
    /// <param name="children">The child specs, in order.</param>
    public ModuleSpec(string type, JsonObject? options = null, IReadOnlyList<ModuleSpec>? children = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        Type = type;
        Options = options;
        Children = children;
    }

    /// <summary>The module type name.</summary>
    public string Type { get; }

    /// <summary>The hyper-parameters, or null when there are none.</summary>
    public JsonObject? Options { get; }

    /// <summary>The children, or null when there are none.</summary>
    public IReadOnlyList<ModuleSpec>? Children { get; }

    /// <summary>The spec as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses a spec from JSON.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="FormatException">The text is not a valid spec.</exception>
    public static ModuleSpec FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<ModuleSpec>(json, JsonOptions)
                ?? throw new FormatException("A module spec must be a JSON object, not null.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Invalid module spec JSON at {ex.Path ?? "$"}: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"Invalid module spec: {ex.Message}", ex);
        }
    }

    /// <summary>An integer hyper-parameter.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="defaultValue">The value when absent; null makes it required.</param>
    /// <exception cref="ArgumentException">The option is missing or not an integer.</exception>
    public int GetInt(string name, int? defaultValue = null)
    {
        var node = Options?[name];
        if (node is null)
        {
            return defaultValue ?? throw new ArgumentException($"{Type}: the option '{name}' is required.");
        }

        return node is JsonValue v && v.TryGetValue<int>(out var i) ? i
            : throw new ArgumentException($"{Type}: the option '{name}' must be an integer.");
    }

    /// <summary>A floating-point hyper-parameter.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="defaultValue">The value when absent; null makes it required.</param>
    public double GetDouble(string name, double? defaultValue = null)
    {
        var node = Options?[name];
        if (node is null)
        {
            return defaultValue ?? throw new ArgumentException($"{Type}: the option '{name}' is required.");
        }

        return node is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) ? d
            : throw new ArgumentException($"{Type}: the option '{name}' must be a finite number.");
    }

    /// <summary>A Boolean hyper-parameter.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    public bool GetBool(string name, bool defaultValue)
    {
        var node = Options?[name];
        if (node is null)
        {
            return defaultValue;
        }

        return node is JsonValue v && v.TryGetValue<bool>(out var b) ? b
            : throw new ArgumentException($"{Type}: the option '{name}' must be true or false.");
    }
}
