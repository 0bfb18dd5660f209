namespace Tessera.Serialization;

/// <summary>The contents of a safetensors file: named tensors in file order and the optional string metadata.</summary>
public sealed class SafeTensorsFile
{
    /// <summary>Creates the contents from tensors and metadata.</summary>
    /// <param name="tensors">The named tensors.</param>
    /// <param name="metadata">The "__metadata__" string map; null or empty for none.</param>
    public SafeTensorsFile(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Tensors = tensors;
        Metadata = metadata ?? new Dictionary<string, string>();
    }

    /// <summary>The tensors by name; when read from a file, in the order of their data in it.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    /// <summary>The free-form string metadata ("__metadata__"); empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
}
