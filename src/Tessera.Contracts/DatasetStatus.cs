namespace Tessera.Contracts;

/// <summary>Where a dataset is in its publication.</summary>
public enum DatasetStatus
{
    /// <summary>Metadata exists; the content (or the provided mock) has not been uploaded and validated yet. Not listed.</summary>
    Pending,

    /// <summary>Content and mock twin are stored and validated; the dataset is listed.</summary>
    Ready,
}
