namespace Tessera.Contracts;

/// <summary>The file format of a dataset's content and its mock twin.</summary>
public enum DatasetFormat
{
    /// <summary>A numeric CSV file with a header row naming the columns.</summary>
    Csv,

    /// <summary>A safetensors file of named tensors.</summary>
    SafeTensors,
}
