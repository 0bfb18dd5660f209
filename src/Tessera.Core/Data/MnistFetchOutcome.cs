namespace Tessera.Data;

/// <summary>What <see cref="MnistFetcher.FetchAsync"/> had to do.</summary>
public enum MnistFetchOutcome
{
    /// <summary>The cache already held verified files matching its manifest.</summary>
    AlreadyCached,

    /// <summary>The four files had been placed in the cache by hand; they were verified and a manifest written.</summary>
    VerifiedLocalFiles,

    /// <summary>The files were downloaded, extracted and verified.</summary>
    Downloaded,
}
